"""Start-up cost of ``stufenplan --help`` compared with ``import typer`` and a minimal typer app's ``--help``.

The command must stay light: pydantic, PyYAML and Jinja2 are imported only by the commands that need them.
Rendering any typer help pulls in rich, so the minimal app is the floor we can reach. Prints the median wall
time of each over several runs and the ratios; not a test, a measurement.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_modules_loaded() -> list[str]:
    code = (
        "import sys, stufenplan_cli.cli.app; "
        "print(','.join(m for m in ('pydantic', 'yaml', 'jinja2', 'ruamel', 'weasyprint', 'openpyxl') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in done.stdout.strip().split(",") if m]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = sys.executable
    baseline = median_seconds([python, "-c", "import typer"], args.runs)
    minimal = median_seconds([python, "-c", MINIMAL_APP, "--help"], args.runs)
    helped = median_seconds([python, "-m", "stufenplan_cli", "--help"], args.runs)
    print(f"import typer:                    {baseline * 1000:7.1f} ms (Median aus {args.runs} Läufen)")
    print(f"--help einer minimalen Typer-App: {minimal * 1000:6.1f} ms")
    print(f"stufenplan --help:               {helped * 1000:7.1f} ms")
    print(f"Verhältnis zu import typer:      {helped / baseline:7.2f}")
    print(f"Verhältnis zur minimalen App:    {helped / minimal:7.2f}")
    heavy = heavy_modules_loaded()
    print(f"schwere Module beim Start: {', '.join(heavy) if heavy else 'keine'}")


if __name__ == "__main__":
    main()
