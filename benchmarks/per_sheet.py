"""What one sheet of a batch costs, step by step, in one process against parsing it with libyaml.

The batch benchmark (``batch.py``) measures whole commands on all cores; this one shows where a worker's
time per sheet goes, so that a change can be judged on a busy machine too: each step's CPU time per sheet
is divided by the floor (``yaml.load(f, Loader=yaml.CSafeLoader)`` on the same files) measured in the same
round, and the median over alternating rounds is printed.

    python benchmarks/per_sheet.py               # 2000 sheets, 7 rounds
    python benchmarks/per_sheet.py --n 500 --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sheets import generate

from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.files.reading import load
from stufenplan_cli.files.sheets import score_plain
from stufenplan_cli.services.batch import Settings, _Scorer
from stufenplan_cli.services.exports import json_item, row_item


def steps(paths: list[Path], catalog: Catalog) -> dict[str, Callable[[], object]]:
    """The floor and the steps of a worker, each over all sheets."""
    docs = [load(p, plain=True) for p in paths]
    results = [r for r in (score_plain(d, catalog) for d in docs) if r is not None]
    scorer = _Scorer(Settings(), catalog, plain=True)

    def floor() -> None:
        for path in paths:
            with open(path, "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)

    return {
        "Boden: yaml.load(CSafeLoader)": floor,
        "lesen, libyaml (reading.load)": lambda: [load(p) for p in paths],
        "lesen, schlicht (load plain=True)": lambda: [load(p, plain=True) for p in paths],
        "bewerten (score_plain)": lambda: [score_plain(d, catalog) for d in docs],
        "CSV-Zeile (row_item)": lambda: [row_item(r) for r in results],
        "JSON-Eintrag (json_item)": lambda: [json_item(r) for r in results],
        "Arbeitsprozess je Bogen, CSV": lambda: [scorer.one(i, p, row_item) for i, p in enumerate(paths)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="number of sheets (default 2000)")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds (default 7)")
    parser.add_argument("--questionnaire", default="stufenplan", help="id (default stufenplan)")
    args = parser.parse_args()
    catalog = Catalog()
    with tempfile.TemporaryDirectory(prefix="stufenplan-per-sheet-") as tmp:
        paths = generate(catalog.by_id(args.questionnaire), Path(tmp), args.n)
        measured = steps(paths, catalog)
        gc.freeze()  # as the workers do: what was loaded before is not scanned again
        times: dict[str, list[float]] = {name: [] for name in measured}
        for _ in range(args.rounds):
            for name, step in measured.items():
                start = time.process_time()
                step()
                times[name].append((time.process_time() - start) / args.n * 1e6)
    floor = next(iter(times))
    ratios = {
        name: [t / f for t, f in zip(values, times[floor], strict=True)] for name, values in times.items()
    }
    print(
        f"{args.n} Bögen, {args.rounds} Runden; CPU-Zeit je Bogen (Median) und Verhältnis zum Boden derselben Runde"
    )
    for name, values in times.items():
        print(f"  {name:36} {statistics.median(values):7.1f} µs  {statistics.median(ratios[name]):5.2f}")


if __name__ == "__main__":
    main()
