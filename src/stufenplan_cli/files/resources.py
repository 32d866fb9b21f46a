"""Where the bundled data lives: inside the installed package, or at the repository root in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """``questionnaires`` or ``report_templates``: shipped in the wheel, or beside ``src/`` when editable."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name
