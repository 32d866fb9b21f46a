"""Hostile sheets, templates and file names (issue 12, docs/security.md): one message or a correct result.

Every test here is an attack or an accident that once ended in a traceback, a hang, silent data loss
or a file read or written outside the working files.
"""

from __future__ import annotations

import csv
import http.server
import io
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stufenplan_cli.cli.app import app
from stufenplan_cli.errors import InputError
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import MAX_BYTES, parse, read_text
from stufenplan_cli.files.sheets import score_file
from tests.conftest import DATA

runner = CliRunner()
QDIR = ["--questionnaires-dir", str(DATA)]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and these signals are POSIX")

SHEET = """questionnaire: mini
municipality:
  name: {name}
answers:
  beschluss: 3
  verantwortung: {{value: 2, note: {note}}}
  pilot: 2
"""


def sheet(path: Path, name: str = "Musterhausen", note: str = "Stabsstelle") -> Path:
    path.write_text(SHEET.format(name=name, note=note), encoding="utf-8")
    return path


def cli(cwd: Path, *args: str, timeout: float = 30, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (for hangs, devices and signals)."""
    return subprocess.run(
        [sys.executable, "-m", "stufenplan_cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        **kwargs,  # type: ignore[call-overload]
    )


def no_traceback(output: str) -> None:
    assert "Traceback" not in output and "Error:" not in output.replace("Fehler:", ""), output


# ----- spreadsheet formula injection -----


@pytest.mark.parametrize("name", ['\'=HYPERLINK("http://x";"klick")\'', '"+1+2"', '"-3+4"', '"@SUM(A1)"'])
def test_csv_cells_that_would_start_a_formula_are_text(tmp_path: Path, name: str) -> None:
    path = sheet(tmp_path / "=1+2.yaml", name=name)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["score", str(path), "-f", "csv", "-o", str(out), *QDIR])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    file_cell, name_cell = rows[1][0], rows[1][1]
    assert file_cell == f"'{path}" if str(path).startswith(("=", "+", "-", "@")) else file_cell == str(path)
    assert name_cell.startswith("'") and name_cell[1:] == parse(f"n: {name}", "x").data["n"]
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell.startswith('="')


def test_xlsx_cells_are_strings_never_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = sheet(tmp_path / "=1+2.yaml", name="'=HYPERLINK(\"http://x\")'")
    broken = tmp_path / "@kaputt.yaml"
    broken.write_text(
        "questionnaire: mini\nmunicipality: {name: x}\nanswers: {beschluss: 9}\n", encoding="utf-8"
    )
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["score", str(path), str(broken), "-f", "xlsx", "-o", str(out), *QDIR])
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out)
    for sheet_ in book.worksheets:
        for row in sheet_.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
    assert book["Ergebnisse"]["B2"].value == '=HYPERLINK("http://x")'
    assert book["Fehler"]["A2"].value == str(broken)


# ----- templates are untrusted code -----


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 - shared with the test on purpose

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> object:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _report_template(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "vorlagen"
    folder.mkdir(exist_ok=True)
    (folder / "report.html.j2").write_text(
        f"<html><head><title>t</title></head><body><p>{{{{ municipality.name }}}}</p>{body}</body></html>\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "body",
    [
        '<img src="{url}">',
        '<link rel="attachment" href="{url}">',
        '<link rel="stylesheet" href="{url}">',
        "<style>@import url({url});</style>",
    ],
)
@pytest.mark.parametrize("where", ["file", "http"])
def test_pdf_fetches_neither_local_files_nor_the_network(
    tmp_path: Path, http_server: http.server.HTTPServer, body: str, where: str
) -> None:
    pytest.importorskip("weasyprint")
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-4711", encoding="utf-8")
    url = secret.as_uri() if where == "file" else f"http://127.0.0.1:{http_server.server_address[1]}/x.css"
    folder = _report_template(tmp_path, body.format(url=url))
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "report",
            str(DATA / "mini-sheet.yaml"),
            "-f",
            "pdf",
            "-o",
            f"{out}/",
            "--template-dir",
            str(folder),
            *QDIR,
        ],
    )
    assert result.exit_code == 1, result.output
    assert "nachladen" in result.output and url[:40] in result.output
    assert _Recorder.requests == []
    assert not out.exists() or not any(out.iterdir())


def test_pdf_takes_embedded_data_urls(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    folder = _report_template(
        tmp_path, '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
    )
    result = runner.invoke(
        app,
        [
            "report",
            str(DATA / "mini-sheet.yaml"),
            "-f",
            "pdf",
            "-o",
            f"{tmp_path}/",
            "--template-dir",
            str(folder),
            *QDIR,
        ],
    )
    assert result.exit_code == 0, result.output


@POSIX
def test_a_symlink_in_the_template_folder_is_not_followed_outside(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-4711", encoding="utf-8")
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.md.j2").write_text('{% include "geheim.j2" %}\n', encoding="utf-8")
    (folder / "geheim.j2").symlink_to(secret)
    result = runner.invoke(
        app, ["report", str(DATA / "mini-sheet.yaml"), "-f", "md", "--template-dir", str(folder), *QDIR]
    )
    assert result.exit_code == 1
    assert "GEHEIM" not in result.output and "aus dem Vorlagen-Ordner heraus" in result.output
    (folder / "geheim.j2").unlink()
    os.mkfifo(folder / "geheim.j2")  # a FIFO would block the rendering
    result = runner.invoke(
        app, ["report", str(DATA / "mini-sheet.yaml"), "-f", "md", "--template-dir", str(folder), *QDIR]
    )
    assert result.exit_code == 1 and "keine gewöhnliche Datei" in result.output


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        ("Kopf\n{{ 1 // 0 }}\n", 2, "Division durch null"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}\n", 1, "endlos"),
        ("a\nb\n{{ gibt_es_nicht.x }}\n", 3, "unbekannter Name"),
        ("{{ ''.__class__ }}\n", 1, "Sandbox"),
        ("{% if %}\n", 1, "Vorlage fehlerhaft"),
        ("{{ 'x' * 100000000 }}\n", 1, "zu groß"),
        ("{{ 'x' | center(10 ** 9) }}\n", 1, "zu groß"),
        ("\n{{ 10 ** 60 }}\n", 2, "Zahl zu groß"),
    ],
)
def test_a_template_error_names_the_template_file_and_line_once(
    tmp_path: Path, template: str, line: int, words: str
) -> None:
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "report.md.j2").write_text(template, encoding="utf-8")
    sheets = [sheet(tmp_path / f"s{i}.yaml", name=f"Ort {i}") for i in range(3)]
    result = runner.invoke(
        app,
        [
            "report",
            *map(str, sheets),
            "-f",
            "md",
            "-o",
            f"{tmp_path}/out/",
            "--template-dir",
            str(folder),
            *QDIR,
        ],
    )
    assert result.exit_code == 1
    assert f"{folder / 'report.md.j2'}:{line}:" in result.output and words in result.output
    assert result.output.count("Fehler:") == 1, result.output  # not blamed on every sheet


def test_template_rendering_has_size_and_time_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stufenplan_cli.render import templating
    from stufenplan_cli.render.environment import report_environment

    report_environment.cache_clear()
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    template = folder / "report.md.j2"
    template.write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    monkeypatch.setattr(templating, "MAX_OUTPUT_CHARS", 100_000)
    args = ["report", str(DATA / "mini-sheet.yaml"), "-f", "md", "--template-dir", str(folder), *QDIR]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "größer als" in result.output
    template.write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", encoding="utf-8"
    )
    monkeypatch.setattr(templating, "MAX_SECONDS", 0.5)
    started = time.monotonic()
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "länger als" in result.output
    assert time.monotonic() - started < 10


# ----- special files -----


@POSIX
def test_a_fifo_as_input_or_among_the_questionnaires_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = cli(tmp_path, "score", "pipe.yaml", timeout=20)
    assert result.returncode == 1 and "keine gewöhnliche Datei" in result.stderr
    qdir = tmp_path / "q"
    qdir.mkdir()
    os.mkfifo(qdir / "haengt.yaml")
    result = cli(
        tmp_path,
        "score",
        str(DATA / "mini-sheet.yaml"),
        "--questionnaires-dir",
        str(qdir),
        "--questionnaires-dir",
        str(DATA),
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    result = cli(tmp_path, "validate", str(qdir / "haengt.yaml"), timeout=20)
    assert result.returncode == 1 and "keine gewöhnliche Datei" in result.stderr


@POSIX
def test_dev_zero_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="keine gewöhnliche Datei"):
        read_text(Path("/dev/zero"))
    result = cli(tmp_path, "score", "/dev/zero", timeout=20)
    assert result.returncode == 1 and "keine gewöhnliche Datei" in result.stderr


def test_a_file_growing_past_its_reported_size_is_cut_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gross.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10))
    real_stat = Path.stat

    def lying_stat(self: Path, **kwargs: object) -> os.stat_result:  # a file system that reports 10 bytes
        result = real_stat(self, **kwargs)  # type: ignore[arg-type]
        if self == path:
            return os.stat_result((result.st_mode, *result[1:6], 10, *result[7:]))
        return result

    monkeypatch.setattr(Path, "stat", lying_stat)
    with pytest.raises(InputError, match="zu groß"):
        read_text(path)


@POSIX
@pytest.mark.parametrize("device", ["/dev/null", "/dev/stdout"])
def test_a_device_as_output_is_never_replaced(tmp_path: Path, device: str) -> None:
    before = os.stat(device).st_mode
    result = cli(
        tmp_path, "score", str(DATA / "mini-sheet.yaml"), *QDIR, "-f", "csv", "-o", device, "--force"
    )
    assert result.returncode == 2 and "keine gewöhnliche Datei" in result.stderr, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and os.stat(device).st_mode == before


# ----- values that used to end in a traceback -----


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("assessed_on: 2026-02-30\n", 4, "kein gültiges Datum"),
        ("assessed_on: 2926-01-01\n", 4, "außerhalb"),
        ("answers:\n  pilot: !!int foo\n", 5, "nicht lesbar"),
        ("answers:\n  pilot: " + "9" * 5000 + "\n", 5, "zu lang"),
        ("answers:\n  pilot: " + "[" * 200 + "]" * 200 + "\n", 5, "verschachtelt"),
        ("answers:\n  pilot: .inf\n", 5, "keine endliche Zahl"),
        ('assessor: "a\\x1b]0;PWN\\x07"\n', 4, "Steuerzeichen U+001B"),
        ('group: "a\\0b"\n', 4, "Steuerzeichen U+0000"),
    ],
)
def test_bad_values_in_a_sheet_are_one_message_with_the_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = tmp_path / "bogen.yaml"
    path.write_text("questionnaire: mini\nmunicipality:\n  name: Musterhausen\n" + text, encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), *QDIR])
    assert result.exit_code == 1, result.output
    assert f"{path}:{line}:" in result.output and words in result.output
    no_traceback(result.output)


@pytest.mark.parametrize(
    ("value", "words"),
    [("weight: .inf", "keine endliche Zahl"), ("weight: 1e308", "1000"), ("weight: 1.0e+308", "1000")],
)
def test_absurd_weights_in_a_custom_questionnaire_are_refused(tmp_path: Path, value: str, words: str) -> None:
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("weight: 2", value, 1)
    qdir = tmp_path / "q"
    qdir.mkdir()
    (qdir / "mini.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(qdir / "mini.yaml")])
    assert result.exit_code == 1 and words in result.output, result.output
    no_traceback(result.output)


def test_yaml_1_1_numbers_in_text_stay_text() -> None:
    data = parse("name: 1.10\nnote: 12:30\nkind: yes\nv: 1:20\nw: 010\nx: 1_000\n", "x.yaml").data
    assert data == {"name": "1.10", "note": "12:30", "kind": "yes", "v": "1:20", "w": 10, "x": "1_000"}


def test_a_note_that_looks_like_a_time_is_reported_as_typed(tmp_path: Path) -> None:
    path = sheet(tmp_path / "s.yaml", note="12:30")
    result = score_file(path, Catalog(extra_dirs=[DATA]))
    assert result.municipality.name == "Musterhausen"
    assert any(q.note == "12:30" for q in result.questions)


def test_names_are_composed_nfc_on_load(tmp_path: Path) -> None:
    path = sheet(tmp_path / "s.yaml", name="Mu\u0308nchen")
    assert score_file(path, Catalog(extra_dirs=[DATA])).municipality.name == "M\u00fcnchen"


# ----- outputs: the operating system says no -----


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("x" * 300 + ".csv", "Dateiname zu lang"),
        ("datei.txt/out.csv", "ist eine Datei, kein Ordner"),
    ],
)
def test_os_errors_on_output_paths_are_messages(tmp_path: Path, target: str, words: str) -> None:
    (tmp_path / "datei.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), *QDIR, "-f", "csv", "-o", str(tmp_path / target)]
    )
    assert result.exit_code == 1, result.output
    assert words in result.output
    no_traceback(result.output)


@POSIX
def test_no_permission_on_the_output_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    locked = tmp_path / "zu"
    locked.mkdir(mode=0o500)
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), *QDIR, "-f", "csv", "-o", str(locked / "a.csv")]
    )
    assert result.exit_code == 1 and "keine Berechtigung" in result.output


@POSIX
def test_the_file_size_limit_is_a_message_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    result = cli(
        tmp_path,
        "report",
        str(DATA / "mini-sheet.yaml"),
        *QDIR,
        "-f",
        "html",
        "-o",
        "r.html",
        preexec_fn=small_files,
    )
    assert result.returncode == 1, result.stderr
    assert "Datei wird zu groß" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_is_a_message_and_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "a.csv"
    out.write_text("alt", encoding="utf-8")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), *QDIR, "-f", "csv", "-o", str(out), "--force"]
    )
    assert result.exit_code == 1 and "kein Platz mehr" in result.output
    assert out.read_text(encoding="utf-8") == "alt" and [p.name for p in tmp_path.iterdir()] == ["a.csv"]


# ----- terminal injection -----


@POSIX
def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    name = "a\x1b]0;PWN\x07\x1b[2J.yaml"
    sheet(tmp_path / name)
    for args in (
        ["score", name, *QDIR],
        ["validate", name, *QDIR],
        ["score", "fehlt\nFehler: gefälscht.yaml"],
        ["score", "fehlt\x1b[2J.yaml"],
    ):
        result = cli(tmp_path, *args)
        assert "\x1b" not in result.stdout + result.stderr, args
    assert "\\x1b" in result.stderr  # the missing file is named, its escape shown as text
    forged = cli(tmp_path, "score", "fehlt\nFehler: gefälscht.yaml")
    assert forged.stderr.splitlines()[0] == "Fehler: fehlt\\x0aFehler: gefälscht.yaml: Datei nicht gefunden"


def test_emoji_codes_and_markup_from_a_sheet_are_shown_as_written(tmp_path: Path) -> None:
    """rich turns ``:thumbs_up:`` into 👍 and ``[bold]`` into bold unless told not to: a name is shown as written."""
    name = "Stadt :thumbs_up: [bold]fett[/bold] :smile-emoji:"
    sheet(tmp_path / ":smile:.yaml", name=f'"{name}"')
    result = cli(tmp_path, "score", ":smile:.yaml", *QDIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{name}:"), result.stdout
    missing = cli(tmp_path, "score", ":smile:fehlt.yaml", *QDIR)
    assert ":smile:fehlt.yaml: Datei nicht gefunden" in missing.stderr, missing.stderr


# ----- never over an input -----


@pytest.mark.parametrize("command", [["score", "-f", "csv"], ["compare"], ["merge"], ["report", "-f", "md"]])
def test_an_output_that_is_an_input_is_refused_even_with_force(tmp_path: Path, command: list[str]) -> None:
    a = sheet(tmp_path / "a.yaml")
    b = sheet(tmp_path / "b.yaml", name="Musterhausen")
    before = a.read_bytes()
    inputs = [str(a)] if command[0] == "report" else [str(a), str(b)]
    result = runner.invoke(app, [command[0], *inputs, *command[1:], "-o", str(a), "--force", *QDIR])
    assert result.exit_code == 2, result.output
    assert "Eingabedateien" in result.output and a.read_bytes() == before


# ----- signals -----


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found |= {int(p) for p in task.read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def many_sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "boegen"
    folder.mkdir()
    for i in range(5000):  # enough that scoring them takes a few seconds even on a fast machine
        sheet(folder / f"s{i:04}.yaml", name=f"Ort {i}")
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])  # names: Windows has no SIGHUP
@pytest.mark.parametrize("command", ["report", "score"])
def test_a_signal_ends_a_batch_promptly_stops_its_workers_and_leaves_no_temporary_file(
    tmp_path: Path, many_sheets: Path, signame: str, command: str
) -> None:
    signum = int(getattr(signal, signame))
    done = tmp_path / "fertig.csv"
    assert (
        cli(tmp_path, "score", str(DATA / "mini-sheet.yaml"), *QDIR, "-f", "csv", "-o", str(done)).returncode
        == 0
    )
    output = ["-f", "html", "-o", "out/"] if command == "report" else ["-f", "csv", "-o", "alle.csv"]
    process = subprocess.Popen(
        [sys.executable, "-m", "stufenplan_cli", command, str(many_sheets), *QDIR, *output, "--workers", "2"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline:
        workers |= _children(process.pid)
        time.sleep(0.02)
    assert workers, "the command never started its workers"
    time.sleep(0.2)
    if process.poll() is not None:
        pytest.skip("the machine finished the batch before the signal could be sent")
    process.send_signal(signum)
    started = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - started < 15  # promptly: not after the remaining thousands of sheets
    assert "Traceback" not in stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert [p for p in tmp_path.rglob("*") if p.suffix == ".tmp"] == []
    if process.returncode == 0:  # a busy machine: the signal came after the last sheet; all is written
        assert (
            command == "score"
            and len((tmp_path / "alle.csv").read_text(encoding="utf-8").splitlines()) == 5001
        )
    else:
        assert process.returncode == 128 + signum, stderr
        assert "Abgebrochen" in stderr
        assert not (tmp_path / "alle.csv").exists()
    assert done.stat().st_size > 0  # completed outputs stay


# ----- one rule for "the same municipality" -----


def _assessed(path: Path, name: str, ags: str | None, day: str, value: int) -> Path:
    ags_line = f'  ags: "{ags}"\n' if ags else ""
    path.write_text(
        f"questionnaire: mini\nmunicipality:\n  name: {name}\n{ags_line}assessed_on: {day}\n"
        f"answers:\n  beschluss: {value}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("M\u00fcnchen", None), ("Mu\u0308nchen", None)),  # NFC and NFD
        (("Musterstadt", "09162000"), ("MUSTERSTADT", None)),  # AGS on one side only: the name decides
        (("Musterstadt", "09162000"), ("Stadt Musterstadt", "09162000")),  # AGS on both: the AGS decides
    ],
)
def test_merge_and_compare_agree_on_one_municipality(
    tmp_path: Path, first: tuple[str, str | None], second: tuple[str, str | None]
) -> None:
    a = _assessed(tmp_path / "a.yaml", first[0], first[1], "2024-05-01", 1)
    b = _assessed(tmp_path / "b.yaml", second[0], second[1], "2026-05-01", 3)
    merged = runner.invoke(app, ["merge", str(a), str(b), "-o", str(tmp_path / "m.yaml"), *QDIR])
    assert merged.exit_code == 0, merged.output
    compared = runner.invoke(app, ["compare", str(a), str(b), "-f", "json", *QDIR])
    assert compared.exit_code == 0, compared.output
    assert '"kind": "timeline"' in compared.output
    anonymous = runner.invoke(app, ["compare", str(a), str(b), "-f", "json", "--anonymize", *QDIR])
    assert '"kind": "timeline"' in anonymous.output and "K02" not in anonymous.output


def test_different_agses_are_different_municipalities_everywhere(tmp_path: Path) -> None:
    a = _assessed(tmp_path / "a.yaml", "Neustadt", "07337060", "2024-05-01", 1)
    b = _assessed(tmp_path / "b.yaml", "Neustadt", "09474154", "2026-05-01", 3)
    merged = runner.invoke(app, ["merge", str(a), str(b), "-o", str(tmp_path / "m.yaml"), *QDIR])
    assert merged.exit_code == 1 and not (tmp_path / "m.yaml").exists()
    compared = runner.invoke(app, ["compare", str(a), str(b), "-f", "json", *QDIR])
    assert '"kind": "region"' in compared.output


def test_default_file_names_keep_non_latin_names_apart() -> None:
    from stufenplan_cli.services.interview import slug

    assert slug("Gemeinde Müßig-Öd") == "gemeinde-muessig-oed"
    athens, kyiv = slug("Αθήνα"), slug("Київ")
    assert athens != kyiv and athens.startswith("kommune-") and kyiv.startswith("kommune-")
    assert slug("Mu\u0308nchen") == slug("M\u00fcnchen") == "muenchen"


def test_a_derived_file_name_of_another_municipality_is_not_continued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "mini-bad-neustadt.yaml"
    _assessed(existing, "Bad-Neustadt", None, "2024-05-01", 2)
    before = existing.read_bytes()
    result = runner.invoke(app, ["assess", "mini", "-m", "Bad Neustadt", *QDIR], catch_exceptions=False)
    assert result.exit_code == 2 and "ist der Bogen von „Bad-Neustadt“" in result.output
    assert existing.read_bytes() == before


# ----- smaller ones -----


@POSIX
def test_merging_one_sheet_with_itself_is_refused(tmp_path: Path) -> None:
    a = sheet(tmp_path / "a.yaml")
    (tmp_path / "b.yaml").symlink_to(a.name)
    for twice in (
        [str(a), str(a)],
        [str(a), str(tmp_path / "." / "a.yaml")],
        [str(a), str(tmp_path / "b.yaml")],
    ):
        result = runner.invoke(app, ["merge", *twice, "-o", str(tmp_path / "m.yaml"), *QDIR])
        assert result.exit_code == 2 and "dieselbe Datei" in result.output, result.output
    assert not (tmp_path / "m.yaml").exists()


def test_a_custom_questionnaire_shadowed_by_a_bundled_one_is_named(tmp_path: Path) -> None:
    own = tmp_path / "eigen.yaml"
    own.write_text(
        (DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: kurzcheck"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(own)])
    assert result.exit_code == 0 and "Warnung:" in result.output and "eigene Id" in result.output
    listed = runner.invoke(app, ["questionnaires", "--questionnaires-dir", str(tmp_path)])
    assert "die Id kurzcheck hat schon" in listed.output


def test_compare_with_one_good_and_one_broken_sheet_is_a_bad_input(tmp_path: Path) -> None:
    good = sheet(tmp_path / "gut.yaml")
    broken = tmp_path / "kaputt.yaml"
    broken.write_text(
        "questionnaire: mini\nmunicipality: {name: x}\nanswers: {beschluss: 9}\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["compare", str(good), str(broken), *QDIR])
    assert result.exit_code == 1, result.output
    assert "mindestens zwei" in result.output and str(broken) in result.output


@pytest.mark.parametrize("bad", ["published: 2026-02-30", "weight: .nan"])
def test_a_broken_custom_questionnaire_breaks_no_other_command(tmp_path: Path, bad: str) -> None:
    qdir = tmp_path / "q"
    qdir.mkdir()
    text = (DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: kaputt", 1)
    (qdir / "kaputt.yaml").write_text(text.replace("weight: 2", bad, 1), encoding="utf-8")
    result = runner.invoke(
        app, ["score", str(DATA / "mini-sheet.yaml"), "--questionnaires-dir", str(qdir), *QDIR]
    )
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["validate", str(qdir / "kaputt.yaml")])
    assert listed.exit_code == 1 and f"{qdir / 'kaputt.yaml'}:" in listed.output
    no_traceback(listed.output)


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_a_broken_wording_module_is_named_in_every_format(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "vorlagen" / "partials"
    folder.mkdir(parents=True)
    (folder / "texts.j2").write_text("Kopf\n{% set x = 1 // 0 %}\n", encoding="utf-8")
    args = ["report", str(DATA / "mini-sheet.yaml"), "-f", fmt, "-o", f"{tmp_path}/out/"]
    result = runner.invoke(app, [*args, "--template-dir", str(tmp_path / "vorlagen"), *QDIR])
    assert result.exit_code == 1
    assert f"{folder / 'texts.j2'}:2: Fehler in der Vorlage: Division durch null" in result.output
