"""The bundled funding file (``report_templates/funding.yaml``), read and validated once per process."""

from __future__ import annotations

import functools
from pathlib import Path

from stufenplan_cli.domain.models.funding import Funding
from stufenplan_cli.files.reading import load
from stufenplan_cli.files.resources import data_dir
from stufenplan_cli.files.validation import model_from


def funding_file() -> Path:
    """Where the programmes live: beside the report templates, so that they ship with them."""
    return data_dir("report_templates") / "funding.yaml"


@functools.lru_cache(maxsize=4)
def load_funding(path: Path | None = None) -> Funding:
    """The programmes and Länder of ``path`` (default: the bundled file); errors carry file and line."""
    return model_from(load(path or funding_file()), Funding)
