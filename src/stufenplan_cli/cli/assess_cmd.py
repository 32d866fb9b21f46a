"""``assess``: the interactive self-assessment in the terminal, saved answer by answer, resumable."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stufenplan_cli.cli.common import (
    QuestionnairesDir,
    catalog,
    err,
    out,
    questionnaire_args,
    shell_command,
)
from stufenplan_cli.errors import UsageError, how_many, of_total

if TYPE_CHECKING:
    from stufenplan_cli.cli.tui import Screen
    from stufenplan_cli.domain.models.questionnaire import Questionnaire
    from stufenplan_cli.files.catalog import Catalog
    from stufenplan_cli.files.editing import SheetFile, SheetState
    from stufenplan_cli.files.locking import SheetLock

DEFAULT_QUESTIONNAIRE = "stufenplan"


QuestionnaireOfSheet = Annotated[
    str | None,
    typer.Argument(
        metavar="ID_ODER_DATEI",
        help="Fragebogen: Id oder YAML-Datei (Standard: der des Antwortbogens, sonst stufenplan).",
        show_default=False,
    ),
]
Answers = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        "-a",
        metavar="BOGEN",
        help="Antwortbogen, der angelegt oder fortgesetzt wird (Standard: aus dem Namen der Kommune, "
        "z. B. stufenplan-musterhausen.yaml).",
        dir_okay=False,
    ),
]
Municipality = Annotated[
    str | None, typer.Option("--municipality", "-m", metavar="NAME", help="Name der Kommune vorgeben.")
]
Review = Annotated[
    bool, typer.Option("--review", help="Nur unbeantwortete und mit „weiß nicht“ beantwortete Fragen.")
]


def assess(
    questionnaire: QuestionnaireOfSheet = None,
    answers: Answers = None,
    municipality: Municipality = None,
    review: Review = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Selbsteinschätzung im Terminal: Frage für Frage, jede Antwort sofort gespeichert.

    Unterbrechen mit q oder Strg+C; [bold]--answers DATEI[/] (oder ein Antwortbogen an Stelle des
    Fragebogens) setzt bei der ersten offenen Frage fort.
    Braucht ein Terminal; ohne eines: [bold]stufenplan template[/] ausfüllen, [bold]stufenplan score[/] bewerten.
    Exit-Code 0 fertig oder gespeichert beendet, 1 fehlerhafter Bogen, 2 kein Terminal, 130 Strg+C.

    Beispiel:
        [bold]stufenplan assess kurzcheck -m "Gemeinde Musterhausen"[/]
    """
    from stufenplan_cli.files.catalog import NotAQuestionnaire
    from stufenplan_cli.services.interview import default_sheet_path

    cat = catalog(questionnaires_dir)
    try:
        given = cat.resolve(questionnaire) if questionnaire else None
    except NotAQuestionnaire:
        # ``stufenplan assess bogen.yaml``: the sheet to continue, as --answers would name it
        if answers is not None:
            raise UsageError(
                f"{questionnaire} ist ein Antwortbogen, kein Fragebogen; fortsetzen: "
                + shell_command(["stufenplan", "assess", "--answers", str(questionnaire)])
            ) from None
        answers, questionnaire, given = Path(str(questionnaire)), None, None
    preset = _preset_name(municipality)
    # Everything about the files is checked before the first question: a wrong sheet stops here.
    path = answers
    if path is None and preset is not None:
        path = default_sheet_path((given or cat.by_id(DEFAULT_QUESTIONNAIRE)).id, preset)
    locks: list[SheetLock] = []  # one session per sheet: released however the command ends
    try:
        if path is not None:
            lock(path, locks)
        derived = answers is None
        _assess(cat, given, path, preset, review, questionnaire, questionnaires_dir, locks, derived)
    finally:
        for held in locks:
            held.release()


def lock(path: Path, locks: list[SheetLock]) -> None:
    """Take the sheet's lock for this session (refused while another session has it open)."""
    from stufenplan_cli.files.locking import SheetLock
    from stufenplan_cli.files.writing import target_of

    locks.append(SheetLock(target_of(path)).acquire())


def _assess(
    cat: Catalog,
    given: Questionnaire | None,
    path: Path | None,
    preset: str | None,
    review: bool,
    questionnaire: str | None,
    questionnaires_dir: list[Path] | None,
    locks: list[SheetLock],
    derived: bool = False,
) -> None:
    """The command with the sheet locked: checks, the interview, the result.

    ``derived``: the sheet's name was made from the municipality's name, not given with --answers.
    """
    from stufenplan_cli.cli.tui import Screen, show_result
    from stufenplan_cli.files.editing import read_state
    from stufenplan_cli.files.sheets import score_file

    state = read_state(path, cat, given) if path is not None and path.exists() else None
    if derived and path is not None and state is not None and preset is not None:
        _own_sheet(path, preset, state)
    q = state.questionnaire if state else (given or cat.by_id(DEFAULT_QUESTIONNAIRE))

    if not sys.stdin.isatty():
        raise UsageError(_no_terminal(q.id, path, preset))

    screen = Screen(out())
    resume_args = questionnaire_args(questionnaire, questionnaires_dir, None)
    done = _interview(screen, Start(cat, q, path, state, preset, review, locks), resume_args)
    if done is None:
        return
    path = done
    result = score_file(path, cat, q)  # the very function ``stufenplan score`` uses, on the saved file
    sources = questionnaire_args(questionnaire, questionnaires_dir, "--questionnaire")
    report = shell_command(["stufenplan", "report", str(path), *sources, "--format", "html,pdf"])
    show_result(screen, result, q, report, path)


def _preset_name(municipality: str | None) -> str | None:
    """The name given with --municipality, checked as the interview checks it (wrong usage otherwise)."""
    from stufenplan_cli.services.interview import check_meta

    if municipality is None or not municipality.strip():
        return None
    try:
        return str(check_meta("name", municipality))
    except ValueError as exc:
        raise UsageError(f"--municipality: {exc}") from None


@dataclass(frozen=True)
class Start:
    """Where an interview starts: catalog, questionnaire, sheet (and what it holds), name, --review."""

    cat: Catalog
    q: Questionnaire
    path: Path | None
    state: SheetState | None
    preset: str | None
    review: bool
    locks: list[SheetLock]


def _interview(screen: Screen, start: Start, resume_args: list[str]) -> Path | None:
    """From the welcome screen to the last question; the saved sheet when all is through, else None.

    Quitting (q) or Ctrl+C says where the answers are and how to go on; Ctrl+C exits with 130.
    """
    from stufenplan_cli.cli.tui import run, welcome
    from stufenplan_cli.services.interview import Interview

    path, state, review = start.path, start.state, start.review
    try:
        if not welcome(
            screen, start.q, path, _welcome_notes(state, start.preset, review), _to_ask(state, review)
        ):
            return None
        opened = _open_sheet(screen, start.cat, start.q, path, state, start.preset, start.locks)
        if opened is None:
            return None
        path, sheet, state, new, notice = opened
        interview = Interview(
            questionnaire=start.q,
            store=sheet,
            answers=state.answers,
            municipality=state.municipality,
            assessed_on=state.assessed_on,
            ask_meta=new,
            review_only=review,
        )
        finished = run(screen, interview, path, notice)
    except KeyboardInterrupt:
        out().print()
        _saved(path if path is not None and path.exists() else None, resume_args, interrupted=True)
        raise typer.Exit(130) from None
    if not finished:
        _saved(path, resume_args)
        return None
    return path


def _no_terminal(questionnaire_id: str, path: Path | None, name: str | None) -> str:
    """Why there is no interview without a keyboard, and the two commands that do without one."""
    sheet = str(path) if path is not None else "bogen.yaml"
    if path is not None and path.exists():
        first = f"  1. den Antwortbogen in einem Editor weiter ausfüllen: {shell_command([sheet])}"
    else:
        words = ["stufenplan", "template", questionnaire_id, *(["-m", name] if name else []), "-o", sheet]
        first = f"  1. einen leeren Antwortbogen erzeugen und in einem Editor ausfüllen:\n     {shell_command(words)}"
    return (
        "stufenplan assess fragt im Terminal Frage für Frage; hier kommt die Eingabe aber nicht von der "
        "Tastatur (Umleitung oder Pipe).\nOhne Interview:\n"
        f"{first}\n  2. den ausgefüllten Bogen bewerten:\n     {shell_command(['stufenplan', 'score', sheet])}"
    )


def _to_ask(state: SheetState | None, review: bool) -> int | None:
    """How many questions a resumed sheet still asks (open ones, with --review also „weiß nicht“)."""
    from stufenplan_cli.services.interview import open_questions, unknown_questions

    if state is None or not state.answers:
        return None
    unknown = len(unknown_questions(state.questionnaire, state.answers)) if review else 0
    return len(open_questions(state.questionnaire, state.answers)) + unknown


def _welcome_notes(state: SheetState | None, preset: str | None, review: bool = False) -> list[str]:
    """What the start screen says about an existing sheet: how far it is and where it goes on."""
    from stufenplan_cli.domain.conditions import not_asked
    from stufenplan_cli.services.interview import question_order, unknown_questions

    if state is None:
        return []
    dropped = not_asked(state.questionnaire, state.answers)
    order = [x for x in question_order(state.questionnaire) if x.id not in dropped]  # what is asked
    total = len(order)
    numbers = {x.id: i for i, x in enumerate(order, 1)}
    first_open = next((numbers[x.id] for x in order if x.id not in state.answers), None)
    answered = sum(1 for x in order if x.id in state.answers)
    if not state.answers:
        notes = ["Der vorhandene Antwortbogen hat noch keine Antworten; er wird jetzt ausgefüllt."]
    elif review:
        unknown = len(unknown_questions(state.questionnaire, state.answers))
        parts = [f"{total - answered} offen"] if answered < total else []
        parts += [f"{unknown} mit „weiß nicht“ beantwortet"] if unknown else []
        notes = [
            f"Überprüfung von {how_many(total, 'questions')}: {', '.join(parts)}."
            if parts
            else "Überprüfung: keine Frage ist offen oder mit „weiß nicht“ beantwortet."
        ]
    else:
        notes = [
            f"Fortsetzung: {of_total(answered, total, 'questions')} beantwortet, weiter bei Frage {first_open}."
            if first_open
            else ("Die Frage ist" if total == 1 else f"Alle {total} Fragen sind")
            + " beantwortet; weiter zur Überprüfung vor dem Abschluss."
        ]
    version = state.questionnaire.version
    if state.upgraded_from:
        notes.append(
            f"Der Bogen wurde für Version {state.upgraded_from} erstellt: Seine Antworten gelten weiter, die neuen "
            f"Fragen der Version {version} werden jetzt gestellt; gespeichert wird er als Version {version}."
        )
    elif state.version and state.version != version:
        notes.append(
            f"Hinweis: Bogen für Version {state.version} erstellt, der Fragebogen hat Version {version}."
        )
    if preset and state.name and preset != state.name:
        notes.append(f"Im Bogen steht „{state.name}“; --municipality wird nicht übernommen.")
    return notes


def _own_sheet(path: Path, name: str, state: SheetState) -> None:
    """A file name made from the municipality's name is this municipality's sheet, never another's.

    Two names may give one file name (``Bad-Neustadt`` and ``Bad Neustadt``); continuing the other
    municipality's sheet would mix their answers.
    """
    from stufenplan_cli.domain.text import same_municipality

    if state.name and not same_municipality(name, None, state.name, state.municipality.get("ags")):
        raise UsageError(
            f"{path} ist der Bogen von „{state.name}“, nicht von „{name}“; bitte mit --answers einen "
            "eigenen Dateinamen angeben"
        )


def _open_sheet(
    screen: Screen,
    cat: Catalog,
    q: Questionnaire,
    path: Path | None,
    state: SheetState | None,
    preset: str | None,
    locks: list[SheetLock],
) -> tuple[Path, SheetFile, SheetState, bool, str] | None:
    """The sheet to work on, with the name asked first when it is missing; None if the user quits.

    Returns the path, the sheet, what it holds, whether the metadata is to be asked, and a notice.
    """
    from stufenplan_cli.cli.tui import ask_name
    from stufenplan_cli.files.editing import SheetFile, SheetState, read_state
    from stufenplan_cli.render.blank_sheet import interview_sheet
    from stufenplan_cli.services.interview import default_sheet_path

    notice = ""
    name = state.name if state and state.name else preset
    if name is None:
        name = ask_name(screen, path=path)
        if name is None:
            return None
        if path is None:
            path = default_sheet_path(q.id, name)
            lock(path, locks)
            if path.exists():  # the derived file is this interview's own sheet from an earlier run
                state = read_state(path, cat, q)
                _own_sheet(path, name, state)
                name = state.name or name
                notice = f"{path} gibt es schon; fortgesetzt mit {how_many(len(state.answers), 'answers')}."
    assert path is not None
    new = state is None or not state.name
    if state is None:
        return (
            path,
            SheetFile.create(path, q, interview_sheet(q, name)),
            SheetState(q, {"name": name}),
            new,
            notice,
        )
    sheet = SheetFile.open(path, q)
    sheet.check_writable()
    if not state.name:
        sheet.set_municipality({"name": name})
        state.municipality["name"] = name
    return path, sheet, state, new, notice


def _saved(path: Path | None, resume_args: list[str], interrupted: bool = False) -> None:
    """Where the answers are and the exact command that continues."""
    from stufenplan_cli.cli.tui import shell_lines

    lead = "Abgebrochen." if interrupted else "Unterbrochen."
    if path is None:
        err().print(f"{lead} Es wurde noch nichts gespeichert.")
        return
    command = shell_command(["stufenplan", "assess", "--answers", str(path), *resume_args])
    err().print(f"{lead} Alle Antworten sind gespeichert in:\n  {path}", markup=False)
    err().print("Fortsetzen mit:\n" + shell_lines(command, err().width), markup=False)
