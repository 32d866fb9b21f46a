"""The municipality's metadata the interview asks first, and the file name it suggests for the sheet."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stufenplan_cli.domain.models.sheet import Municipality
from stufenplan_cli.domain.text import name_key, nfc
from stufenplan_cli.files.validation import german

# ----- the municipality's metadata -----


@dataclass(frozen=True)
class MetaField:
    """One metadata question: the key in ``municipality`` and how to ask for it."""

    key: str
    label: str
    hint: str
    required: bool = False


NAME = MetaField(
    "name", "Name der Kommune", "z. B. Gemeinde Musterhausen, Stadt Neustadt, Landkreis Beispiel", True
)
OPTIONAL_META = (
    MetaField("ags", "Amtlicher Gemeindeschlüssel (AGS)", "2, 3, 5 oder 8 Ziffern, z. B. 09162000"),
    MetaField("kind", "Art der Kommune", "z. B. Gemeinde, Stadt, Landkreis, Amt, Verbandsgemeinde"),
    MetaField("population", "Einwohnerzahl", "ganze Zahl, z. B. 12000 oder 12.000"),
)


def check_meta(key: str, text: str, municipality: dict[str, Any] | None = None) -> Any:
    """A typed metadata value checked with the core's Municipality model; ValueError with a German hint."""
    text = " ".join(text.split())
    value: Any = text
    if key == "population":
        digits = (
            text.replace(".", "").replace(" ", "") if re.fullmatch(r"\d{1,3}([. ]\d{3})+", text) else text
        )
        if not digits.isdigit():
            raise ValueError("Einwohnerzahl bitte als ganze Zahl, z. B. 12000")
        value = int(digits)
    base = {"name": "x", **(municipality or {})}
    try:
        checked = Municipality.model_validate({**base, key: value})
    except ValidationError as exc:
        raise ValueError(german(exc.errors(include_url=False)[0])) from None
    return getattr(checked, key)


# ----- the file name -----


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(name: str) -> str:
    """``Gemeinde Müßig-Öd`` -> ``gemeinde-muessig-oed``: safe in any file system, umlauts transliterated.

    Letters without an ASCII spelling (``Αθήνα``, ``Київ``) would vanish and every such name would
    become ``kommune``; then a short checksum of the name keeps different municipalities apart.
    """
    decomposed = unicodedata.normalize("NFKD", nfc(name).translate(_TRANSLIT))
    text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    found = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if any(ch.isalnum() and not ch.isascii() for ch in decomposed):
        checksum = hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:8]
        return f"{found or 'kommune'}-{checksum}"
    return found or "kommune"


def default_sheet_path(questionnaire_id: str, municipality: str, directory: Path | None = None) -> Path:
    """Where ``assess`` keeps the answers when no ``--answers`` is given: ``stufenplan-musterhausen.yaml``."""
    name = f"{questionnaire_id}-{slug(municipality)}.yaml"
    return (directory or Path()) / name
