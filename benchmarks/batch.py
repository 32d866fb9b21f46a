"""Batch scoring against its floor: ``stufenplan score DIR`` into CSV, JSON and Excel vs. parsing the files.

Generates N realistic sheets (``benchmarks/sheets.py``: compact consultant sheets and filled-in
templates, some ``weiß nicht``, notes, a few mistakes) into a temporary directory. Each round runs,
one after the other, so that a busy moment of the machine hits floor and command alike:

- the floor: one process that only parses every file with libyaml
  (``yaml.load(f, Loader=yaml.CSafeLoader)``), program start included;
- the whole command as a consultant runs it, start-up, finding the files and writing included:
  ``stufenplan score DIR --format csv|json|xlsx --output FILE`` with all cores.

Each command's time is divided by the floor of the same round; the median of those ratios over the
rounds is printed (goal for CSV: ≤ 0.6 on two cores), with the median seconds, the peak memory of the
largest process of each command (goal ≤ 100 MiB), the machine's core count and its load. On a busy
machine the wall-clock ratio suffers (the workers do not get their cores); the CPU-time ratio, all
processes' CPU seconds over the floor's, is printed too: on two free cores the wall ratio is about
half of it plus start-up.

    python benchmarks/batch.py               # 10,000 sheets, 5 rounds
    python benchmarks/batch.py --n 2000 --rounds 7 --formats csv
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

from sheets import generate

from stufenplan_cli.files.catalog import Catalog

PARSE_ONLY = """
import sys, yaml
for line in open(sys.argv[1], encoding="utf-8"):
    with open(line.rstrip("\\n"), "rb") as handle:
        yaml.load(handle, Loader=yaml.CSafeLoader)
"""


# As after pip install: with bytecode (PYTHONDONTWRITEBYTECODE would compile our modules on every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the whole process tree, and peak resident MiB of its largest process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(command[:6])} … endete mit {process.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{usable} nutzbare von {os.cpu_count()} Kernen"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="number of sheets (default 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--formats", default="csv,json,xlsx", help="default csv,json,xlsx")
    parser.add_argument("--workers", type=int, default=None, help="passed to --workers (default: all)")
    parser.add_argument("--questionnaire", default="stufenplan", help="id or file (default stufenplan)")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if "xlsx" in formats:
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            formats.remove("xlsx")
            print("(xlsx übergangen: openpyxl fehlt)")
        else:
            from openpyxl.xml import LXML

            print(f"(xlsx: openpyxl {'mit' if LXML else 'ohne'} lxml)")

    q = Catalog().resolve(args.questionnaire)
    with tempfile.TemporaryDirectory(prefix="stufenplan-bench-") as tmp:
        directory = Path(tmp) / "bögen"
        paths = generate(q, directory, args.n)
        listing = Path(tmp) / "liste.txt"
        listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
        size = sum(p.stat().st_size for p in paths)
        print(
            f"{args.n} Bögen für {q.id} {q.version} ({len(q.questions)} Fragen), "
            f"{size / args.n / 1024:.1f} KiB je Bogen; {cores()}; {args.rounds} Runden abwechselnd; "
            f"Last vorher {os.getloadavg()[0]:.1f}"
        )
        floor_cmd = [sys.executable, "-c", PARSE_ONLY, str(listing)]
        times: dict[str, list[float]] = {"floor": [], **{f: [] for f in formats}}
        ratios: dict[str, list[float]] = {f: [] for f in formats}
        cpu_ratios: dict[str, list[float]] = {f: [] for f in formats}
        memory: dict[str, float] = {f: 0.0 for f in formats}
        for _ in range(args.rounds):
            floor, floor_cpu, _ = timed(floor_cmd)
            times["floor"].append(floor)
            for fmt in formats:
                target = Path(tmp) / f"ergebnisse.{fmt}"
                command = [sys.executable, "-m", "stufenplan_cli", "score", str(directory)]
                command += ["--format", fmt, "--output", str(target), "--force"]
                if args.workers:
                    command += ["--workers", str(args.workers)]
                seconds, cpu, peak = timed(command, ok_codes=(0, 1))  # 1: the few broken sheets
                times[fmt].append(seconds)
                ratios[fmt].append(seconds / floor)
                cpu_ratios[fmt].append(cpu / floor_cpu)
                memory[fmt] = max(memory[fmt], peak)
        load_after = os.getloadavg()[0]

    floor_s = statistics.median(times["floor"])
    print(f"Boden: nur parsen (1 Prozess, CSafeLoader)  {floor_s:6.2f} s  {args.n / floor_s:7.0f} Bögen/s")
    for fmt in formats:
        seconds = statistics.median(times[fmt])
        goal = "  (Ziel ≤ 0,60)" if fmt == "csv" else ""
        print(
            f"stufenplan score DIR -f {fmt:4} -o …       {seconds:6.2f} s  {args.n / seconds:7.0f} Bögen/s  "
            f"Verhältnis {statistics.median(ratios[fmt]):.2f}{goal}  "
            f"Spitze {memory[fmt]:.0f} MiB/Prozess"
        )
        print(f"    CPU-Zeit aller Prozesse / CPU-Zeit des Bodens: {statistics.median(cpu_ratios[fmt]):.2f}")
    spread = ", ".join(f"{r:.2f}" for r in ratios[formats[0]]) if formats else ""
    print(
        f"Verhältnisse je Runde ({formats[0] if formats else '-'}): {spread}; Last nachher {load_after:.1f}"
    )


if __name__ == "__main__":
    main()
