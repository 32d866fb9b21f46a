"""The optional extras (PDF, Excel): the command that adds one to *this* installation, pip or pipx.

A pipx installation lives in a virtual environment of its own that ``pip install`` does not reach;
``pipx inject`` does. Double quotes, because they work in cmd.exe, PowerShell and POSIX shells alike.
"""

from __future__ import annotations

import sys
from pathlib import Path

DISTRIBUTION = "stufenplan-cli"


def installed_by_pipx() -> bool:
    """pipx leaves ``pipx_metadata.json`` at the root of each environment it manages."""
    return (Path(sys.prefix) / "pipx_metadata.json").is_file()


def install_command(requirement: str) -> str:
    """``pipx inject stufenplan-cli "weasyprint>=61"`` or ``python -m pip install "weasyprint>=61"``."""
    if installed_by_pipx():
        return f'pipx inject {DISTRIBUTION} "{requirement}"'
    return f'python -m pip install "{requirement}"'


def install_hint(requirement: str) -> str:
    """The install line as a sentence, naming the environment when pip has to run in a particular one."""
    command = install_command(requirement)
    if installed_by_pipx() or sys.prefix == sys.base_prefix:
        return f"Nachinstallieren: {command}"
    return f"Nachinstallieren (in der Umgebung {sys.prefix}): {command}"
