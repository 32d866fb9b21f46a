"""One sheet and the help against their floor: a minimal two-command Typer app's ``--help``.

Rendering any typer help pulls in typer, click and rich, so that app is the floor we can reach.
Each round runs, one right after the other, the floor, ``stufenplan --help`` and ``stufenplan score
SHEET`` (a realistic filled-in sheet, output into a pipe); each time is divided by the floor of the
same round and the median of those ratios over the rounds is printed (goals: ``--help`` ≤ 1.1,
``score`` ≤ 1.3), with the median milliseconds, the core count and the load. The ratio of CPU times
(user and system) is printed too: on a busy machine it is the steadier figure.

Two references are printed beside, not counted: a minimal Typer *command* (typer 0.29 coerces every
parameter through a pydantic TypeAdapter, so any command, unlike ``--help``, imports pydantic), and
the same command that also defines one pydantic model: what any run of a typer tool whose data are
pydantic models cannot undercut. All runs are as after ``pip install``: with bytecode
(``PYTHONDONTWRITEBYTECODE`` is removed from the environment of the timed runs, which would otherwise
compile our modules from source on every start and not the installed libraries').

    python benchmarks/startup.py [--rounds 21]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sheets import SheetMaker

MINIMAL_APP = """
import typer
app = typer.Typer(rich_markup_mode="rich")
@app.command()
def a(x: int = 1) -> None:
    \"\"\"Doc.\"\"\"
@app.command()
def b(x: int = 1) -> None:
    \"\"\"Doc.\"\"\"
app()
"""

MINIMAL_COMMAND = MINIMAL_APP.replace("app()", "app(['a', '--x', '2'])")
WITH_MODEL = MINIMAL_COMMAND.replace(
    "app(", "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)\napp("
)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user and system) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} … endete mit {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def heavy_modules_loaded() -> list[str]:
    code = (
        "import sys, stufenplan_cli.cli.app; "
        "print(','.join(m for m in ('pydantic', 'yaml', 'jinja2', 'ruamel', 'weasyprint', 'openpyxl') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in done.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=21, help="alternating rounds (default 21)")
    args = parser.parse_args()
    from stufenplan_cli.files.catalog import Catalog

    maker = SheetMaker(Catalog().by_id("stufenplan"))
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="stufenplan-bench-") as tmp:
        sheet = Path(tmp) / "kommune.yaml"
        sheet.write_text(maker.filled(1), encoding="utf-8")
        commands = {
            "floor": [python, "-c", MINIMAL_APP, "--help"],
            "Typer-Befehl (Referenz)": [python, "-c", MINIMAL_COMMAND],
            "Typer-Befehl + pydantic-Modell (Referenz)": [python, "-c", WITH_MODEL],
            "stufenplan --help": [python, "-m", "stufenplan_cli", "--help"],
            "stufenplan score BOGEN": [python, "-m", "stufenplan_cli", "score", str(sheet)],
        }
        load_before = os.getloadavg()[0]
        for argv in commands.values():  # warm the disk cache and the bytecode
            seconds(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                wall, used = seconds(argv)
                times[name].append(wall)
                cpu[name].append(used)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.rounds} Runden abwechselnd; {usable} nutzbare von {os.cpu_count()} Kernen; "
        f"Last vorher {load_before:.1f}, nachher {os.getloadavg()[0]:.1f}"
    )
    floor = times["floor"]
    print(
        f"Boden: --help einer minimalen Typer-App       {statistics.median(floor) * 1000:6.0f} ms  "
        f"(CPU {statistics.median(cpu['floor']) * 1000:.0f} ms)"
    )
    goals = {
        "Typer-Befehl (Referenz)": "–",
        "Typer-Befehl + pydantic-Modell (Referenz)": "–",
        "stufenplan --help": "1,1",
        "stufenplan score BOGEN": "1,3",
    }
    for name, goal in goals.items():
        ratio = statistics.median(t / f for t, f in zip(times[name], floor, strict=True))
        cpu_ratio = statistics.median(t / f for t, f in zip(cpu[name], cpu["floor"], strict=True))
        print(
            f"{name:42} {statistics.median(times[name]) * 1000:6.0f} ms  "
            f"Verhältnis {ratio:.2f}  (Ziel ≤ {goal}; CPU-Zeit-Verhältnis {cpu_ratio:.2f})"
        )
    heavy = heavy_modules_loaded()
    print(f"schwere Module beim Start: {', '.join(heavy) if heavy else 'keine'}")


if __name__ == "__main__":
    main()
