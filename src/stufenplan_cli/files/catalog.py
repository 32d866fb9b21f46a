"""Where questionnaires come from: the bundled ones, extra directories, and files named directly."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stufenplan_cli.domain.models.common import suggest
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import InputError, NotFound, Problem, StufenplanError
from stufenplan_cli.files.compiled import from_compiled
from stufenplan_cli.files.reading import Document, load, read_limited
from stufenplan_cli.files.resources import data_dir
from stufenplan_cli.files.validation import kind_of, questionnaire_from

ENV_VAR = "STUFENPLAN_QUESTIONNAIRES"
SUFFIXES = (".yaml", ".yml")


def bundled_dir() -> Path:
    return data_dir("questionnaires")


def search_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """The bundled directory, then ``--questionnaires-dir`` ones, then those in $STUFENPLAN_QUESTIONNAIRES."""
    dirs = [bundled_dir(), *extra]
    env = os.environ.get(ENV_VAR, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    return dirs


@dataclass
class Entry:
    """A questionnaire found in a directory; ``error`` when its file is invalid."""

    path: Path
    questionnaire: Questionnaire | None = None
    error: StufenplanError | None = None
    bundled: bool = False
    declared_id: str | None = None
    """The id the file declares, even when the file is invalid (to name it when a command asks for it)."""


@dataclass
class Catalog:
    """Finds questionnaires by id or path and keeps each one loaded once (batches reuse them)."""

    extra_dirs: list[Path] = field(default_factory=list)
    _by_path: dict[Path, Questionnaire] = field(default_factory=dict)
    _entries: list[Entry] | None = None
    _loaded: dict[Path, Entry | None] = field(default_factory=dict)
    _found: dict[str, Questionnaire] = field(default_factory=dict)

    def entries(self) -> list[Entry]:
        """Every questionnaire file in the search directories, loaded; later ids do not shadow earlier."""
        if self._entries is None:
            found = (self._entry(path, bundled) for path, bundled in self._files())
            self._entries = [entry for entry in found if entry is not None]
        return self._entries

    def _files(self) -> list[tuple[Path, bool]]:
        """The YAML files of the search directories in search order, each with whether it is bundled."""
        files: list[tuple[Path, bool]] = []
        bundled = bundled_dir().resolve()
        for directory in search_dirs(self.extra_dirs):
            if not directory.is_dir():
                if directory.resolve() != bundled:
                    raise NotFound("Fragebogen-Verzeichnis nicht gefunden", directory)
                continue
            is_bundled = directory.resolve() == bundled
            files += [(p, is_bundled) for p in sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES)]
        return files

    def _entry(self, path: Path, bundled: bool) -> Entry | None:
        """One file as an entry, loaded once; None for an answer sheet that sits beside the questionnaires."""
        if path in self._loaded:
            return self._loaded[path]
        entry = Entry(path=path, bundled=bundled)
        key = path.resolve()
        ready = self._by_path.get(key) or from_compiled(path)
        if ready is not None:
            entry.questionnaire = self._by_path.setdefault(key, ready)
            entry.declared_id = ready.id
            self._loaded[path] = entry
            return entry
        try:
            doc = load(path)
            if kind_of(doc) != "questionnaire":
                self._loaded[path] = None
                return None
            entry.declared_id = _declared_id(doc.data)
            if key not in self._by_path:
                self._by_path[key] = questionnaire_from(doc)
            entry.questionnaire = self._by_path[key]
        except StufenplanError as exc:
            entry.error = exc
        self._loaded[path] = entry
        return entry

    def shadowed_by(self, questionnaire: Questionnaire, path: Path) -> Path | None:
        """The file that wins over ``path`` for the id of ``questionnaire`` (an earlier one), else None.

        The bundled questionnaires come first: a custom file with the id ``stufenplan`` is never used
        by id, which a user must be told rather than find out from a report.
        """
        mine = path.resolve()
        for entry in self.entries():
            if entry.questionnaire is not None and entry.questionnaire.id == questionnaire.id:
                return None if entry.path.resolve() == mine else entry.path
        return None

    def from_file(self, path: Path) -> Questionnaire:
        """The questionnaire in ``path``; an answer sheet given in its place is named as one, not as a
        questionnaire with every field missing."""
        key = path.resolve()
        if key not in self._by_path:
            ready = from_compiled(path)
            if ready is None:
                doc = load(path)
                if is_answer_sheet(doc):
                    raise NotAQuestionnaire(path)
                ready = questionnaire_from(doc)
            self._by_path[key] = ready
        return self._by_path[key]

    def by_id(self, qid: str) -> Questionnaire:
        """The first questionnaire with this id in the search order.

        A file that declares this id but is invalid is named with its problems, never reported as missing.
        """
        if qid in self._found:
            return self._found[qid]
        if self._entries is None:
            # Only the file that declares this id is validated (one sheet needs one questionnaire); a file
            # whose id line names another id is skipped unread. Anything less certain falls to the loop below.
            for path, bundled in self._files():
                if _quick_id(path) not in (qid, None):
                    continue
                entry = self._entry(path, bundled)
                if entry is not None and entry.questionnaire is not None and entry.questionnaire.id == qid:
                    self._found[qid] = entry.questionnaire  # a batch asks once per sheet
                    return entry.questionnaire
        known: list[str] = []
        for entry in self.entries():
            if entry.questionnaire is not None:
                if entry.questionnaire.id == qid:
                    self._found[qid] = entry.questionnaire
                    return entry.questionnaire
                known.append(entry.questionnaire.id)
        for entry in self.entries():
            if entry.error is not None and entry.declared_id == qid:
                raise BrokenQuestionnaire(qid, entry.path, entry.error)
        broken = [e.path.name for e in self.entries() if e.error is not None and e.declared_id is None]
        unreadable = f"; nicht lesbar und übergangen: {', '.join(broken)}" if broken else ""
        raise NotFound(
            f"Fragebogen {qid!r} nicht gefunden{suggest(qid, known)} "
            f"(vorhanden: {', '.join(known) or 'keiner'}{unreadable}; eigene mit --questionnaires-dir)"
        )

    def resolve(self, id_or_file: str) -> Questionnaire:
        """``ID_OR_FILE`` as the commands take it: an existing path or a YAML name is a file, else an id."""
        path = Path(id_or_file)
        if path.exists() or path.suffix in SUFFIXES or os.sep in id_or_file:
            return self.from_file(path)
        return self.by_id(id_or_file)


# A top-level ``id: slug`` line, plain or quoted, with an optional comment: in a file that has exactly one
# such line and is a valid questionnaire, that line is its id (a valid id is a slug, so a value continued
# on the next line cannot be one).
_ID_LINE = re.compile(r"^id:[ \t]*([\"']?)([a-z0-9_-]+)\1[ \t]*(?:#.*)?$", re.MULTILINE)


def _quick_id(path: Path) -> str | None:
    """The id a questionnaire file surely declares, from its text alone; None when that is not certain."""
    try:  # as every file: regular files only, up to the size limit (a FIFO here must not hang)
        text = read_limited(path).decode("utf-8-sig")
    except (InputError, UnicodeDecodeError):
        return None
    found = _ID_LINE.findall(text)
    return found[0][1] if len(found) == 1 else None


def _declared_id(data: object) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def is_answer_sheet(doc: Document) -> bool:
    """Whether a file is plainly an answer sheet: a sheet's keys and none of a questionnaire's."""
    return (
        kind_of(doc) == "answers"
        and isinstance(doc.data, dict)
        and ("answers" in doc.data or "questionnaire" in doc.data)
    )


class NotAQuestionnaire(InputError):
    """An answer sheet where a questionnaire was asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__("ist ein Antwortbogen, kein Fragebogen", path)


class BrokenQuestionnaire(NotFound):
    """A questionnaire file with the id a sheet asks for exists but is invalid: its problems, file and line."""

    def __init__(self, qid: str, path: Path, error: StufenplanError) -> None:
        count = len(error.problems)
        what = "ein Problem" if count == 1 else f"{count} Probleme"
        super().__init__(
            f"Fragebogen {qid!r} ist fehlerhaft ({what} in {path}, siehe unten); erst nach der Korrektur "
            "lässt sich der Bogen prüfen und bewerten"
        )
        self.questionnaire_problems = [
            Problem(p.message, p.file or str(path), p.line) for p in error.problems
        ]

    @property
    def problems(self) -> list[Problem]:
        return [Problem(self.message, self.file, self.line), *self.questionnaire_problems]
