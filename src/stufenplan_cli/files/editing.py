"""Updating an answer sheet in place: one answer at a time, atomically, keeping comments and notes.

PyYAML forgets comments, so a sheet written back with it would lose the question texts of a
``stufenplan template`` sheet and every remark a user typed by hand. ruamel.yaml's round-trip mode
keeps them; this module wraps it so that the rest of the tool only says "set this answer".

Every text written is first read back with the core loader and validated against the questionnaire,
so the interview can never leave a sheet behind that ``stufenplan score`` would refuse.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.domain.models.sheet import (
    Answer,
    AnswerSheet,
    Municipality,
    normalise_value,
    upgrade_key,
    upgrade_value,
)
from stufenplan_cli.errors import InputError, OutputFailed, StufenplanError
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import Document, load, parse, read_text
from stufenplan_cli.files.sheets import questionnaire_for
from stufenplan_cli.files.validation import sheet_from
from stufenplan_cli.files.writing import write_bytes_atomic
from stufenplan_cli.files.yaml_roundtrip import (
    _after_its_example,
    _flow_map,
    _put,
    _quoted,
    _value,
    detect_indent,
)

MUNICIPALITY_ORDER = tuple(Municipality.model_fields)
TOP_ORDER = tuple(AnswerSheet.model_fields)
# Stands in for a blank name while a fresh template sheet is checked; never written.
_NAME_PLACEHOLDER = "\u2063"


@dataclass
class SheetState:
    """What a sheet holds so far, as the interview needs it."""

    questionnaire: Questionnaire
    municipality: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    assessed_on: dt.date | None = None
    version: str | None = None
    upgraded_from: str | None = None  # the older version the file was written for, read as this one

    @property
    def name(self) -> str:
        return str(self.municipality.get("name") or "")


def read_state(path: Path, catalog: Catalog, questionnaire: Questionnaire | None = None) -> SheetState:
    """Read and validate a sheet for resuming; a blank municipality name (fresh template) is allowed.

    Anything else wrong – another questionnaire, unknown questions, values that are no option –
    raises the core's error, with file and line, before a single question is asked.
    """
    doc = load(path)
    data = doc.data
    muni = data.get("municipality")
    name_missing = muni is None or (isinstance(muni, dict) and not str(muni.get("name") or "").strip())
    if name_missing:
        patched = dict(data)
        patched["municipality"] = {**(muni or {}), "name": _NAME_PLACEHOLDER}
        doc = Document(patched, doc.file, doc.lines)
    target = questionnaire or questionnaire_for(doc, catalog)
    sheet = sheet_from(doc, target)
    assert target is not None  # a valid sheet names its questionnaire
    return state_of(sheet, target, name_missing)


def state_of(sheet: AnswerSheet, questionnaire: Questionnaire, name_missing: bool = False) -> SheetState:
    municipality = sheet.municipality.model_dump(exclude_none=True)
    if name_missing:
        municipality.pop("name", None)
    return SheetState(
        questionnaire=questionnaire,
        municipality=municipality,
        answers=dict(sheet.answers),
        assessed_on=sheet.assessed_on,
        version=sheet.questionnaire_version,
        upgraded_from=sheet.upgraded_from,
    )


class SheetFile:
    """A sheet on disk that is changed one field at a time; each change is written at once."""

    def __init__(self, path: Path, questionnaire: Questionnaire, text: str, on_disk: bool = True) -> None:
        self.path = path
        self.questionnaire = questionnaire
        self._load(text)
        self._known: str | None = text if on_disk else None  # what the file held when last read or written

    def _load(self, text: str) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        self._yaml = YAML(typ="rt")
        self._yaml.preserve_quotes = True
        self._yaml.width = 4096  # never fold a long note onto a second line
        indent = detect_indent(text)
        self._yaml.indent(mapping=indent, sequence=indent + 2, offset=indent)
        # Keep what a user's editor chose: a leading ``---`` and Windows line ends.
        self._yaml.explicit_start = bool(re.match(r"(\s*#.*\n)*---", text))
        self._newline = "\r\n" if "\r\n" in text else "\n"
        try:
            self._data = self._yaml.load(text.replace("\r\n", "\n"))
        except YAMLError as exc:  # the core loader read it, so this is unexpected; say so plainly
            raise InputError(f"kann nicht bearbeitet werden: {exc}", self.path) from None
        if not isinstance(self._data, Mapping):
            raise InputError("oberste Ebene muss eine Zuordnung (Schlüssel: Wert) sein", self.path, 1)
        self._upgrade()

    def _upgrade(self) -> None:
        """A sheet of a declared predecessor becomes one of this version the moment it is edited.

        Reading maps old ids and values on every load; a file that mixed old and new ids could not
        be told apart, so the first save writes renamed ids, mapped values and the new version.
        """
        from ruamel.yaml.comments import CommentedMap
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        data = self._data
        version = data.get("questionnaire_version")
        if isinstance(version, int | float) and not isinstance(version, bool):
            version = str(version)
        q = self.questionnaire
        predecessor = q.predecessor(str(version)) if version and str(version) != q.version else None
        if predecessor is None or data.get("questionnaire") != q.id:
            return
        answers = data.get("answers")
        if isinstance(answers, CommentedMap):
            carried: dict[str, tuple[Any, Any, Any]] = {}  # new id -> (node, value, comment), in file order
            for old in list(answers):
                node = answers.pop(old)
                comment = answers.ca.items.pop(old, None)
                new = upgrade_key(str(old), predecessor, q)
                if new is None:
                    continue
                raw = node.get("value") if isinstance(node, CommentedMap) else node
                value = upgrade_value(new, normalise_value(raw), predecessor) if raw is not None else None
                if isinstance(node, CommentedMap):
                    node["value"] = value
                elif node is not None:
                    node = value
                kept = carried.get(new)
                if kept is None or (
                    isinstance(value, int) and (not isinstance(kept[1], int) or value > kept[1])
                ):
                    carried[new] = (node, value, comment)
            for new, (node, _, comment) in carried.items():
                answers[new] = node
                if comment is not None:
                    answers.ca.items[new] = comment
        data["questionnaire_version"] = DoubleQuotedScalarString(q.version)

    def _refresh(self) -> None:
        """Take up changes made to the file by hand while the interview runs, so that a save keeps them."""
        if self._known is None or not self.path.exists():
            return
        text = read_text(self.path)
        if text == self._known:
            return
        try:
            sheet_from(parse(text, str(self.path)), self.questionnaire)
        except StufenplanError as exc:
            raise StufenplanError(
                f"wurde während des Interviews geändert und ist jetzt ungültig ({exc}); "
                "bitte korrigieren und das Interview fortsetzen",
                self.path,
            ) from None
        self._load(text)
        self._known = text

    @classmethod
    def open(cls, path: Path, questionnaire: Questionnaire) -> SheetFile:
        """An existing sheet (already validated with :func:`read_state`)."""
        return cls(path, questionnaire, read_text(path))

    @classmethod
    def create(cls, path: Path, questionnaire: Questionnaire, text: str) -> SheetFile:
        """A new sheet from a blank text (``render.blank_sheet.interview_sheet``), written at once."""
        sheet = cls(path, questionnaire, text, on_disk=False)
        sheet.save()
        return sheet

    # ----- changes -----

    def set_answer(self, question_id: str, answer: Answer | None) -> None:
        """Record one answer (None clears it back to blank) and write the file."""
        self._refresh()
        answers = self._data.get("answers")
        if not isinstance(answers, Mapping):
            from ruamel.yaml.comments import CommentedMap

            answers = CommentedMap()
            self._data["answers"] = answers
        order = [q.id for q in self.questionnaire.question_order]
        current = answers.get(question_id)
        if answer is None:
            node: Any = None
        elif isinstance(current, Mapping):
            node = (
                current  # edited in place: comments inside the mapping stay; unchanged fields stay as typed
            )
            if normalise_value(node.get("value")) != answer.value:
                node["value"] = _value(answer)
            if answer.note and node.get("note") != answer.note:
                node["note"] = _quoted(answer.note)
            elif not answer.note and "note" in node:
                del node["note"]
        elif answer.note:
            node = _flow_map({"value": _value(answer), "note": _quoted(answer.note)})
        else:
            node = _value(answer)
        _put(answers, question_id, node, order)
        self.save()

    def set_municipality(self, values: Mapping[str, Any]) -> None:
        """Set municipality fields (name, ags, kind, population …); None removes a field. Writes the file."""
        self._refresh()
        from ruamel.yaml.comments import CommentedMap

        muni = self._data.get("municipality")
        if not isinstance(muni, Mapping):
            muni = CommentedMap()
            _put(self._data, "municipality", muni, TOP_ORDER)
        for key, value in values.items():
            if value is None:
                if key in muni:
                    del muni[key]
                continue
            new = key not in muni
            _put(muni, key, _quoted(value) if isinstance(value, str) else value, MUNICIPALITY_ORDER)
            if new:
                _after_its_example(muni, key)
        self.save()

    def set_assessed_on(self, day: dt.date) -> None:
        """Record the date of the assessment right after the municipality. Writes the file."""
        self._refresh()
        _put(self._data, "assessed_on", day, TOP_ORDER)
        self.save()

    # ----- output -----

    def text(self) -> str:
        """The sheet as it will be written."""
        buffer = io.StringIO()
        self._yaml.dump(self._data, buffer)
        return buffer.getvalue().replace("\n", self._newline)

    def save(self) -> None:
        """Check the new text with the core's own reader, then replace the file atomically."""
        text = self.text()
        check(text, str(self.path), self.questionnaire)
        try:
            # Through a symbolic link: the sheet it points to is replaced, the link stays.
            write_bytes_atomic(self.path, text.encode("utf-8"), overwrite=True, follow_symlinks=True)
        except OutputFailed as exc:
            raise InputError(
                f"kann nicht gespeichert werden: {exc.message.split(': ', 1)[-1]}", self.path
            ) from None
        self._known = text

    def check_writable(self) -> None:
        """Refuse before the first question when answers could not be saved (read-only file or folder)."""
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not os.access(folder, os.W_OK | os.X_OK) or (
            self.path.exists() and not os.access(self.path, os.W_OK)
        ):
            raise InputError(
                "kann nicht gespeichert werden: keine Schreibrechte für Datei oder Ordner", self.path
            )


def check(text: str, name: str, questionnaire: Questionnaire) -> AnswerSheet:
    """The text as ``stufenplan score`` would read it; refuse to write anything it would not accept."""
    try:
        return sheet_from(parse(text, name), questionnaire)
    except StufenplanError as exc:
        raise StufenplanError(
            f"interner Fehler: der geänderte Antwortbogen wäre ungültig ({exc.message}); "
            "die Datei bleibt unverändert",
            name,
        ) from None
