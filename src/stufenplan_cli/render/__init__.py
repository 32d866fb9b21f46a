"""Rendering a scored sheet into documents: Markdown, HTML, PDF and JSON, plus SVG charts."""
