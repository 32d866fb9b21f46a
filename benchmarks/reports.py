"""Reports against their floors: text reports of many sheets vs. scoring them, a PDF vs. the same HTML.

Generates N realistic sheets (``benchmarks/sheets.py``, default 100). Each round runs, one right after
the other, so that a busy moment hits floor and command alike:

- floor for text reports: ``stufenplan score DIR --format json --output FILE`` (reading and scoring
  the same sheets, program start included);
- ``stufenplan report DIR --format md`` and ``--format html`` into a fresh directory (all cores);
- floor for PDF: ``stufenplan report SHEET --format html`` of one sheet; then ``--format pdf`` of it.

Each time is divided by its floor of the same round; the medians of those ratios over the rounds are
printed with the median seconds, the core count and the load. Compiled templates come from the user's
cache after the first round (as for a user's second report); ``--no-cache`` measures without it.

    python benchmarks/reports.py [--n 100] [--rounds 5] [--no-cache] [--no-pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sheets import generate

from stufenplan_cli.files.catalog import Catalog


def seconds(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    if done.returncode not in (0, 1):  # 1: the few broken sheets of the mix
        raise SystemExit(f"{' '.join(argv[3:6])} … endete mit {done.returncode}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100, help="number of sheets (default 100)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--no-cache", action="store_true", help="without the template bytecode cache")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (needs WeasyPrint)")
    args = parser.parse_args()
    # as after pip install: with bytecode
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if args.no_cache:
        env["STUFENPLAN_NO_CACHE"] = "1"
    stufenplan = [sys.executable, "-m", "stufenplan_cli"]
    q = Catalog().by_id("stufenplan")
    with tempfile.TemporaryDirectory(prefix="stufenplan-bench-") as tmp:
        root = Path(tmp)
        paths = generate(q, root / "bögen", args.n)
        one = paths[0]
        commands: dict[str, tuple[str, list[str]]] = {
            "score": (
                "",
                [*stufenplan, "score", str(root / "bögen"), "-f", "json", "-o", str(root / "s.json")],
            ),
            "report md": (
                "score",
                [*stufenplan, "report", str(root / "bögen"), "-f", "md", "-o", f"{root}/md/"],
            ),
            "report html": (
                "score",
                [*stufenplan, "report", str(root / "bögen"), "-f", "html", "-o", f"{root}/html/"],
            ),
            "html 1": ("", [*stufenplan, "report", str(one), "-f", "html", "-o", f"{root}/eins/"]),
        }
        if not args.no_pdf:
            commands["pdf 1"] = (
                "html 1",
                [*stufenplan, "report", str(one), "-f", "pdf", "-o", f"{root}/eins/"],
            )
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, (_, argv) in commands.items():
                for folder in ("md", "html", "eins"):
                    shutil.rmtree(root / folder, ignore_errors=True)
                (root / "s.json").unlink(missing_ok=True)
                times[name].append(seconds(argv, env))
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"{args.n} Bögen, {args.rounds} Runden abwechselnd, Vorlagen-Cache {'aus' if args.no_cache else 'an'}; "
        f"{usable} nutzbare von {os.cpu_count()} Kernen; Last vorher {load_before:.1f}, "
        f"nachher {os.getloadavg()[0]:.1f}"
    )
    labels = {
        "score": f"Boden: stufenplan score DIR -f json ({args.n} Bögen)",
        "report md": f"stufenplan report DIR -f md ({args.n} Bögen)",
        "report html": f"stufenplan report DIR -f html ({args.n} Bögen)",
        "html 1": "Boden: stufenplan report BOGEN -f html",
        "pdf 1": "stufenplan report BOGEN -f pdf",
    }
    for name, (floor, _) in commands.items():
        line = f"{labels[name]:48} {statistics.median(times[name]):6.2f} s"
        if floor:
            ratio = statistics.median(t / f for t, f in zip(times[name], times[floor], strict=True))
            line += f"  Verhältnis {ratio:.2f}"
        print(line)


if __name__ == "__main__":
    main()
