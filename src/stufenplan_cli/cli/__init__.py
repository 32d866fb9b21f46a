"""The command-line interface: thin typer commands over the core, and everything that talks to the terminal.

The only package that imports typer or prints; may import every other package. Nothing imports it.
"""
