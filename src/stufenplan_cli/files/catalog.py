"""Where questionnaires come from: the bundled ones, extra directories, and files named directly."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from stufenplan_cli.domain.models.common import suggest
from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.errors import NotFound, Problem, StufenplanError
from stufenplan_cli.files.reading import load
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

    def entries(self) -> list[Entry]:
        """Every questionnaire file in the search directories, loaded; later ids do not shadow earlier."""
        if self._entries is None:
            entries: list[Entry] = []
            bundled = bundled_dir().resolve()
            for directory in search_dirs(self.extra_dirs):
                if not directory.is_dir():
                    if directory.resolve() != bundled:
                        raise NotFound("Fragebogen-Verzeichnis nicht gefunden", directory)
                    continue
                for path in sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES):
                    entry = Entry(path=path, bundled=directory.resolve() == bundled)
                    try:
                        doc = load(path)
                        if kind_of(doc) != "questionnaire":
                            continue  # answer sheets may sit beside questionnaires
                        entry.declared_id = _declared_id(doc.data)
                        entry.questionnaire = self._by_path.setdefault(
                            path.resolve(), questionnaire_from(doc)
                        )
                    except StufenplanError as exc:
                        entry.error = exc
                    entries.append(entry)
            self._entries = entries
        return self._entries

    def from_file(self, path: Path) -> Questionnaire:
        key = path.resolve()
        if key not in self._by_path:
            self._by_path[key] = questionnaire_from(load(path))
        return self._by_path[key]

    def by_id(self, qid: str) -> Questionnaire:
        """The first questionnaire with this id in the search order.

        A file that declares this id but is invalid is named with its problems, never reported as missing.
        """
        known: list[str] = []
        for entry in self.entries():
            if entry.questionnaire is not None:
                if entry.questionnaire.id == qid:
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


def _declared_id(data: object) -> str | None:
    value = data.get("id") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


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
