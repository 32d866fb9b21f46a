"""``stufenplan assess`` driven in a real pseudo-terminal (80×24), as a user would type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from stufenplan_cli.domain.models.sheet import Answer
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.sheets import load_sheet
from tests.conftest import DATA

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals need POSIX")

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\r")
PROMPT = "› "


def env(**extra: str) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    values.update({"NO_COLOR": "1", "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    values.update(extra)
    return values


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command with stdin not a terminal (as in a pipe or a cron job)."""
    return subprocess.run(
        [sys.executable, "-m", "stufenplan_cli", *args],
        cwd=cwd,
        env=env(COLUMNS="80"),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
    )


class Session:
    """One run of the command in a pseudo-terminal, with everything it printed kept as plain text."""

    def __init__(self, cwd: Path, *args: str, **environment: str) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "stufenplan_cli", "assess", *args],
            cwd=str(cwd),
            env=env(**environment),
            dimensions=(24, 80),
            encoding="utf-8",
            timeout=20,
        )
        self.raw = ""

    def expect(self, text: str) -> str:
        """Wait until ``text`` is on screen and then for the prompt; return what came before the prompt."""
        self.child.expect_exact(text)
        seen = self.child.before + self.child.after
        self.child.expect_exact(PROMPT)
        seen += self.child.before
        self.raw += seen + PROMPT
        return ANSI.sub("", seen)

    def type(self, line: str) -> None:
        self.child.sendline(line)

    def answer(self, wait_for: str, line: str) -> str:
        screen = self.expect(wait_for)
        self.type(line)
        return screen

    def end(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        self.raw += self.child.before
        self.child.close()
        status = self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus
        return status, ANSI.sub("", self.raw)


def test_answer_go_back_note_quit_resume_finish(tmp_path: Path) -> None:
    run = Session(tmp_path, "mini", "--questionnaires-dir", str(DATA), "-m", "Gemeinde Müßig-Öd")
    welcome = run.answer("Weiter mit Enter", "")
    assert "Antwortbogen: mini-gemeinde-muessig-oed.yaml" in welcome
    run.answer("Amtlicher Gemeindeschlüssel", "0916200")
    assert "7 Ziffern" in run.answer("Hinweis:", "09162000")
    run.answer("Art der Kommune", "")
    run.answer("Einwohnerzahl", "12.000")
    run.answer("Stufe 1 von 3", "")
    first = run.answer("Frage 1 von 6 · Stufe 1", "3")
    assert "Gibt es einen Grundsatzbeschluss des Rates?" in first and "[Schlüsselfrage]" in first
    run.answer("Frage 2 von 6", "7")
    run.answer("keine Option", "2")
    run.answer("Frage 3 von 6", "z")
    back = run.answer("Frage 2 von 6", "3 Lenkungskreis seit 2023")
    assert "Bisher: 2 – Teilweise" in back
    run.answer("Frage 3 von 6", "?")
    help_screen = run.answer("Hilfe zu Frage 3 von 6", "w")  # answered right from the help screen
    assert "keinen Hilfetext" in help_screen and "zurück zur vorigen Frage" in help_screen
    run.answer("Stufe 2 von 3", "q")
    status, output = run.end()
    assert status == 0
    assert "Fortsetzen mit:" in output and "--answers mini-gemeinde-muessig-oed.yaml" in output

    path = tmp_path / "mini-gemeinde-muessig-oed.yaml"
    cat = Catalog(extra_dirs=[DATA])
    sheet = load_sheet(path, cat).sheet
    assert sheet.answers == {
        "beschluss": Answer(value=3),
        "verantwortung": Answer(value=3, note="Lenkungskreis seit 2023"),
        "qualifizierung": Answer(value="unknown"),
    }
    assert (sheet.municipality.name, sheet.municipality.ags) == ("Gemeinde Müßig-Öd", "09162000")
    assert sheet.municipality.population == 12000 and sheet.municipality.kind is None
    assert "# Läuft eine digitale Lösung im Echtbetrieb?" in path.read_text(encoding="utf-8")

    # Resume: the questionnaire comes from the sheet; the interview starts at the first open question.
    run = Session(tmp_path, "--answers", path.name, "--questionnaires-dir", str(DATA))
    assert "3 von 6 Fragen beantwortet" in run.answer("Weiter mit Enter", "")
    run.answer("Stufe 2 von 3", "")
    run.answer("Frage 4 von 6", "2")
    run.answer("Frage 5 von 6", "n")
    run.answer("Stufe 3 von 3", "")
    run.answer("Frage 6 von 6", "1")
    review = run.answer("Überprüfung vor dem Abschluss", "")
    assert "Weiß nicht (1)" in review and "Nicht zutreffend (1)" in review
    status, output = run.end()
    assert status == 0

    # Stage 1: (2·1 + 1·1 + 1·0) / 4 = 75 % ≥ 60 %; stage 2: pilot 2/2, werkzeuge n/a = 100 %;
    # stage 3: 1/3 = 33 % < 65 %. Placement: stage 2.
    placement = "Gemeinde Müßig-Öd: Stufe 2 – Implementierung digitaler Lösungen"
    assert placement in output
    scored = run_cli(tmp_path, "score", path.name, "--questionnaires-dir", str(DATA)).stdout.splitlines()
    assert scored[0] == placement
    for line in scored[1:4]:  # the stage bars, the same as ``score`` draws them
        assert line in output
    assert "Die 2 wichtigsten nächsten Schritte" in output
    assert "1. Stufe 3 · Gibt es eine verbindliche Kooperation" in output
    assert "2. Stufe 1 · Stand klären · Werden Beschäftigte qualifiziert?" in output
    command = f"stufenplan report {path.name} --questionnaires-dir {DATA} --format html,pdf"
    assert command in output.replace(" \\\n    ", " ")  # long commands are continued with a backslash
    assert all(len(line) <= 80 for line in output.splitlines())
    assert load_sheet(path, cat).sheet.assessed_on is not None


def test_ctrl_c_loses_nothing_already_answered(tmp_path: Path) -> None:
    run = Session(tmp_path, "mini", "--questionnaires-dir", str(DATA), "--answers", "neu.yaml")
    run.answer("Weiter mit Enter", "")
    run.answer("Name der Kommune", "Neustadt")
    for _ in range(3):
        run.answer("Enter: überspringen", "")
    run.answer("Stufe 1 von 3", "")
    run.answer("Frage 1 von 6", "1")
    run.answer("Frage 2 von 6", "2 Stabsstelle")
    run.expect("Frage 3 von 6")
    run.child.sendintr()
    status, output = run.end()
    assert status == 130
    assert "Abgebrochen. Alle Antworten sind gespeichert" in output
    sheet = load_sheet(tmp_path / "neu.yaml", Catalog(extra_dirs=[DATA])).sheet
    assert sheet.municipality.name == "Neustadt"
    assert sheet.answers == {
        "beschluss": Answer(value=1),
        "verantwortung": Answer(value=2, note="Stabsstelle"),
    }
    assert [p.name for p in tmp_path.iterdir()] == ["neu.yaml"]  # no temporary file left


def test_no_color_means_no_colour_codes(tmp_path: Path) -> None:
    run = Session(tmp_path, "mini", "--questionnaires-dir", str(DATA), "-m", "X")
    run.answer("Weiter mit Enter", "")
    run.answer("Amtlicher", "q")
    run.end()
    assert not re.search(r"\x1b\[[0-9;]*(3[0-9]|9[0-7])m", run.raw)


def test_an_invalid_sheet_is_refused_before_the_first_question(tmp_path: Path) -> None:
    sheet = tmp_path / "falsch.yaml"
    sheet.write_text("questionnaire: mini\nmunicipality: {name: X}\nanswers:\n  pilot: 5\n", encoding="utf-8")
    run = Session(tmp_path, "--answers", sheet.name, "--questionnaires-dir", str(DATA))
    status, output = run.end()
    assert status == 1
    assert "falsch.yaml:4" in output and "Wert 5 ist keine Option" in output
    assert "Frage" not in output.replace("Frage 'pilot'", "")


def test_a_sheet_for_another_questionnaire_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "anders.yaml"
    sheet.write_text("questionnaire: other\nmunicipality: {name: X}\n", encoding="utf-8")
    result = run_cli(tmp_path, "assess", "mini", "--answers", sheet.name, "--questionnaires-dir", str(DATA))
    assert result.returncode == 1
    assert "gehört zu Fragebogen 'other', nicht zu 'mini'" in result.stderr


def test_without_a_terminal_it_refuses_and_points_to_template_and_score(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "assess", "mini", "--questionnaires-dir", str(DATA), "-m", "X")
    assert result.returncode == 2
    assert "stufenplan template" in result.stderr and "stufenplan score" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in result.stderr and "stdin" not in result.stderr


def test_the_commands_named_without_a_terminal_work_as_printed(tmp_path: Path) -> None:
    import shlex

    result = run_cli(tmp_path, "assess", "kurzcheck", "-m", "Gemeinde Müßig-Öd")
    commands = [line.strip() for line in result.stderr.splitlines() if line.startswith("     stufenplan ")]
    assert commands == [
        'stufenplan template kurzcheck -m "Gemeinde Müßig-Öd" -o kurzcheck-gemeinde-muessig-oed.yaml',
        "stufenplan score kurzcheck-gemeinde-muessig-oed.yaml",
    ]
    made = run_cli(tmp_path, *shlex.split(commands[0])[1:])
    assert made.returncode == 0, made.stderr
    scored = run_cli(tmp_path, *shlex.split(commands[1])[1:])
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.startswith("Gemeinde Müßig-Öd: noch keine Stufe erreicht")


def test_a_whole_kurzcheck_ends_with_the_placement_of_score(tmp_path: Path) -> None:
    """The bundled kurzcheck from start to end, in 80×24, every question answered by its number."""
    run = Session(tmp_path, "kurzcheck", "-m", "Stadt Beispiel")
    run.answer("Weiter mit Enter", "")
    for _ in range(3):
        run.answer("Enter: überspringen", "")
    asked = []
    while True:
        index = run.child.expect(
            [r"Frage (\d+) von 16 · Stufe", "Weiter mit Enter ·", "Überprüfung vor dem Abschluss"]
        )
        found = run.child.match
        run.child.expect_exact(PROMPT)
        if index == 0:
            number = int(found.group(1))
            asked.append(number)
            run.type(str(number % 4))
        elif index == 1:
            run.type("")
        else:
            run.type("")
            break
    assert asked == list(range(1, 17))
    # The result is taller than 24 rows: first the placement, the bars and the profile ...
    overview = run.expect("Weiter mit Enter: die nächsten Schritte")
    scored = run_cli(tmp_path, "score", "kurzcheck-stadt-beispiel.yaml").stdout.splitlines()
    assert scored[0].startswith("Stadt Beispiel: ")
    start = overview.index("Ergebnis der Selbsteinschätzung")
    shown = overview[start:].splitlines()
    assert len(shown) <= 23, shown  # one screen, with the prompt line below
    for line in scored[:5]:
        assert line in shown
    assert "Profil nach Dimensionen" in overview and "nächsten Schritte\n" not in overview
    run.type("")
    status, output = run.end()
    assert status == 0
    # ... then the next steps and the report command below it, without clearing the screen
    closing = output[output.rindex("Weiter mit Enter: die nächsten Schritte") :]
    assert "Die 3 wichtigsten nächsten Schritte" in closing and "Antwortbogen:" in closing
    command = "stufenplan report kurzcheck-stadt-beispiel.yaml --format html,pdf"
    assert command in output
    # the printed command works as printed
    made = run_cli(tmp_path, *command.split()[1:])
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "kurzcheck-stadt-beispiel.html").exists() and (
        tmp_path / "kurzcheck-stadt-beispiel.pdf"
    ).exists()


@pytest.mark.parametrize("questionnaire", ["stufenplan", "kurzcheck"])
def test_every_bundled_question_fits_80_by_24(questionnaire: str) -> None:
    """Text, all options with descriptions, an earlier answer with a note and a hint, and the prompt line."""
    from rich.console import Console

    from stufenplan_cli.cli.tui import Screen, fitted, help_pages
    from stufenplan_cli.cli.views import question_view
    from stufenplan_cli.services.interview import AskQuestion, parse_answer

    q = Catalog().by_id(questionnaire)
    screen = Screen(Console(width=80, height=24), read=lambda prompt: "")
    current = Answer(value=1, note="Eine längere Anmerkung aus dem Workshop mit dem Bauamt")
    hint = parse_answer("abcdefghijklmnopqrstuvwxyzäöü", q.scale, None).hint
    for number, question in enumerate(q.questions, 1):
        step = AskQuestion(
            question=question,
            stage=q.stage_by_id[question.stage],
            stages=len(q.stages),
            options=q.options_for(question),
            number=number,
            total=len(q.questions),
            answered=number - 1,
            current=current,
        )
        assert screen.fits(fitted(screen, [question_view(step, hint, level) for level in range(3)])), (
            question.id
        )
        assert screen.fits(question_view(step, "", compact=1)), question.id  # the key reminder stays
        assert all(screen.fits(page) for page in help_pages(screen, step)), question.id  # one or two pages


def test_a_killed_process_leaves_a_valid_sheet_with_every_answer_given(tmp_path: Path) -> None:
    import signal

    run = Session(tmp_path, "kurzcheck", "-m", "Stadt Beispiel")
    run.answer("Weiter mit Enter", "q")
    assert run.end()[0] == 0
    assert list(tmp_path.iterdir()) == []  # quitting at the start writes nothing
    run = Session(tmp_path, "kurzcheck", "-m", "Stadt Beispiel")
    run.answer("Weiter mit Enter", "")
    for _ in range(3):
        run.answer("Enter: überspringen", "")
    run.answer("Stufe 1 von 4", "")
    run.answer("Frage 1 von 16", "2 Beschluss 2024")
    run.answer("Frage 2 von 16", "w")
    run.expect("Frage 3 von 16")
    run.child.kill(signal.SIGKILL)
    run.child.expect(pexpect.EOF)
    path = tmp_path / "kurzcheck-stadt-beispiel.yaml"
    answers = load_sheet(path, Catalog()).sheet.answers
    assert list(answers.values()) == [Answer(value=2, note="Beschluss 2024"), Answer(value="unknown")]
    # no temporary file; the lock file may stay, but the system has dropped its lock with the process
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, f".{path.name}.lock"])
    again = Session(tmp_path, "--answers", path.name)
    again.answer("Weiter mit Enter", "q")
    assert again.end()[0] == 0


def _mini_sheet(path: Path) -> Path:
    path.write_text(
        "questionnaire: mini\nmunicipality:\n  name: Musterhausen\nanswers:\n  beschluss: 3\n",
        encoding="utf-8",
    )
    return path


def test_a_second_session_on_the_same_sheet_is_refused_and_the_first_loses_nothing(tmp_path: Path) -> None:
    """Two laptops on a shared drive: the second is told who has the sheet; no answer of the first is lost."""
    sheet = _mini_sheet(tmp_path / "bogen.yaml")
    (tmp_path / "link.yaml").symlink_to(sheet.name)
    first = Session(tmp_path, "--answers", "bogen.yaml", "--questionnaires-dir", str(DATA))
    first.answer("Weiter mit Enter", "")
    first.expect("Frage 2 von 6")
    for other in ("bogen.yaml", "link.yaml"):  # also through a link to the same sheet
        second = Session(tmp_path, "--answers", other, "--questionnaires-dir", str(DATA))
        status, output = second.end()
        words = " ".join(output.split())
        assert status == 1
        assert "wird gerade in einer anderen Sitzung bearbeitet (Prozess" in words, output
    first.type("2 Stabsstelle")
    first.answer("Frage 3 von 6", "q")
    assert first.end()[0] == 0
    answers = load_sheet(sheet, Catalog(extra_dirs=[DATA])).sheet.answers
    assert answers["beschluss"] == Answer(value=3) and answers["verantwortung"] == Answer(
        value=2, note="Stabsstelle"
    )
    # the lock went with the first session: the sheet can be taken up again
    again = Session(tmp_path, "--answers", "bogen.yaml", "--questionnaires-dir", str(DATA))
    again.answer("Weiter mit Enter", "q")
    assert again.end()[0] == 0


def test_answers_through_a_symlink_update_the_sheet_it_points_to(tmp_path: Path) -> None:
    folder = tmp_path / "ablage"
    folder.mkdir()
    sheet = _mini_sheet(folder / "bogen.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(sheet)
    run = Session(tmp_path, "--answers", "link.yaml", "--questionnaires-dir", str(DATA))
    run.answer("Weiter mit Enter", "")
    run.answer("Frage 2 von 6", "1")
    run.answer("Frage 3 von 6", "q")
    assert run.end()[0] == 0
    assert link.is_symlink() and link.resolve() == sheet.resolve()
    assert load_sheet(sheet, Catalog(extra_dirs=[DATA])).sheet.answers["verantwortung"] == Answer(value=1)
    assert sorted(p.name for p in folder.iterdir()) == ["bogen.yaml"]  # no temporary or lock file left


def test_an_answer_sheet_given_in_place_of_the_questionnaire_is_continued(tmp_path: Path) -> None:
    """``stufenplan assess bogen.yaml`` is what people type to go on: it continues the sheet, as --answers."""
    sheet = tmp_path / "bogen.yaml"
    sheet.write_text(
        "questionnaire: mini\nmunicipality:\n  name: Gemeinde Beispiel\nanswers:\n  beschluss: 3\n",
        encoding="utf-8",
    )
    run = Session(tmp_path, "bogen.yaml", "--questionnaires-dir", str(DATA))
    welcome = run.answer("Weiter mit Enter", "q")
    assert "Antwortbogen: bogen.yaml" in welcome and "1 von 6 Fragen beantwortet" in welcome
    status, output = run.end()
    assert status == 0 and "Pflichtangabe" not in output
    # with --answers as well, it is one clear usage error
    both = run_cli(
        tmp_path, "assess", "bogen.yaml", "--answers", "anderer.yaml", "--questionnaires-dir", str(DATA)
    )
    assert both.returncode == 2
    assert "bogen.yaml ist ein Antwortbogen, kein Fragebogen" in both.stderr
    assert "stufenplan assess --answers bogen.yaml" in both.stderr
    # without a terminal, the way without the interview names this sheet
    piped = run_cli(tmp_path, "assess", "bogen.yaml", "--questionnaires-dir", str(DATA))
    assert piped.returncode == 2 and "stufenplan score bogen.yaml" in piped.stderr
