"""The command-line interface: thin typer commands over the core, and everything that talks to the terminal.

The only package that imports typer or prints; may import every other package. Nothing imports it.
"""

import gc
import os

# Collect cyclic garbage after 200,000 new objects instead of 700 (as mypy does): importing typer, rich
# and pydantic and building the models creates hundreds of thousands of objects that all live to the
# end, and the default threshold walks them again and again – about 14 ms of a one-sheet ``score``.
GC_THRESHOLD = (200_000, 30, 30)


def main() -> None:
    """Entry point of the ``stufenplan`` command: collection tuned before the first heavy import.

    Pydantic plugins of other installed packages are not loaded (pydantic's documented switch, unless the
    user set it): looking for them reads every package's metadata (~2 ms), and none belongs in our checks.
    """
    gc.set_threshold(*GC_THRESHOLD)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from stufenplan_cli.cli.app import main as run

    run()
