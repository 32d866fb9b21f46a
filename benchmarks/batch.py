"""Is batch scoring bounded by YAML parsing? Prints sheets/second, our time / parse-only time, peak memory.

Generates N synthetic, valid answer sheets for the bundled ``stufenplan`` questionnaire (each one a
filled-in ``stufenplan template``, as a workshop returns it: comments, notes, a few ``weiß nicht``) into
a temporary directory. Then, in one run:

1. parse-only: a plain single-process ``yaml.load(f, Loader=yaml.CSafeLoader)`` of every file;
2. ours: ``batch.score_many`` over the same files (worker processes, safe loading with line numbers,
   validation against the questionnaire, scoring), consuming each outcome as the CLI does.

Aim (issue 6): ours below parse-only on a two-core machine, peak memory under 150 MiB for 10,000 sheets.
Peak memory is ``ru_maxrss`` of this process and, separately, the largest of its worker processes.

    python benchmarks/batch.py            # N = 2000
    python benchmarks/batch.py --n 10000  # the full check
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.files.catalog import Catalog
from stufenplan_cli.render.blank_sheet import blank_sheet
from stufenplan_cli.services.batch import Outcome, default_workers, score_many
from stufenplan_cli.services.exports import Row, row_item, write_csv

STATES = ["Bayern", "Rheinland-Pfalz", "Schleswig-Holstein", "Mecklenburg-Vorpommern", "Hessen", "Sachsen"]
NOTES = [
    "Lenkungskreis tagt seit 2024 quartalsweise",
    "laut Hauptamt in Vorbereitung",
    "Gruppe uneinig, bitte im Rat besprechen",
    "gemeinsam mit dem Landkreis geplant",
    "Fördermittel beantragt (Smart-City-Programm)",
]


class SheetMaker:
    """Fills one rendered blank template (as a workshop would) with random answers, fast."""

    def __init__(self, q: Questionnaire, seed: int = 6) -> None:
        self.q = q
        self.rng = random.Random(seed)
        self.lines = blank_sheet(q, municipality="@NAME@").splitlines()
        self.slots = {line.strip()[:-1]: i for i, line in enumerate(self.lines) if line.endswith(":")}
        self.tops = {x.id: max(o.value for o in q.options_for(x)) for x in q.questions}

    def text(self, number: int) -> str:
        rng = self.rng
        lines = list(self.lines)
        for i, line in enumerate(lines):
            if line == '  name: "@NAME@"':
                lines[i] = (
                    f'  name: "Gemeinde Nummer {number}"\n  ags: "{9_000_000 + number:08d}"\n'
                    f"  kind: Gemeinde\n  state: {rng.choice(STATES)}\n  population: {rng.randint(800, 60_000)}"
                )
            elif line.startswith("# assessed_on:"):
                lines[i] = f"assessed_on: 2026-{rng.randint(1, 12):02d}-15"
        for qid, top in self.tops.items():
            roll = rng.random()
            if roll < 0.05:
                value = "weiß nicht"
            elif roll < 0.08:
                value = "nicht zutreffend"
            else:
                value = str(min(top, max(0, round(rng.gauss(top * 0.55, top * 0.3)))))
            if rng.random() < 0.15:
                value = f'{{value: {value}, note: "{rng.choice(NOTES)}"}}'
            lines[self.slots[qid]] = f"  {qid}: {value}"
        return "\n".join(lines) + "\n"


def generate(q: Questionnaire, directory: Path, n: int, seed: int = 6) -> list[Path]:
    """Write N filled-in sheets into ``directory``."""
    maker = SheetMaker(q, seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = directory / f"kommune-{i:05d}.yaml"
        path.write_text(maker.text(i), encoding="utf-8")
        paths.append(path)
    return paths


def parse_only(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


class _Null(io.StringIO):
    """A text sink that forgets what it is given (we measure scoring, not the disk)."""

    def write(self, text: str) -> int:
        return len(text)


def ours(paths: list[Path], workers: int, chunk: int | None) -> tuple[float, int]:
    """score_many with the CSV path of ``stufenplan score --format csv``, in this process."""
    start = time.perf_counter()
    failed = 0

    def counted(outcomes: Iterator[Outcome[Row]]) -> Iterator[Outcome[Row]]:
        nonlocal failed
        for outcome in outcomes:
            failed += not outcome.ok
            yield outcome

    outcomes = score_many(paths, workers=workers, chunk_size=chunk, transform=row_item)
    write_csv(counted(outcomes), _Null(), bom=True)
    return time.perf_counter() - start, failed


def cli(directory: Path, workers: int) -> float:
    """The whole command as a consultant runs it: start-up, finding the files, scoring, writing CSV."""
    target = directory.parent / "ergebnisse.csv"
    command = [sys.executable, "-m", "stufenplan_cli", "score", str(directory), "--format", "csv"]
    command += ["--output", str(target), "--force", "--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """User and system CPU time of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def mib(kib: int) -> float:
    return kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="number of sheets (default 2000)")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--chunk", type=int, default=None, help="sheets per task (default: automatic)")
    parser.add_argument("--questionnaire", default="stufenplan", help="id or file (default stufenplan)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; the fastest of each is reported (default 3)"
    )
    args = parser.parse_args()

    q = Catalog().resolve(args.questionnaire)
    with tempfile.TemporaryDirectory(prefix="stufenplan-bench-") as tmp:
        paths = generate(q, Path(tmp) / "bögen", args.n)
        size = sum(p.stat().st_size for p in paths)
        print(
            f"{args.n} Bögen für {q.id} {q.version} ({len(q.questions)} Fragen), "
            f"{size / args.n / 1024:.1f} KiB je Bogen, {args.workers} Worker, "
            f"{args.repeat} Runden (je die schnellste), Last vorher {os.getloadavg()[0]:.1f}"
        )
        before = mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        rounds = []
        for _ in range(args.repeat):  # interleaved, so that a busy moment hits both sides alike
            cpu0 = cpu_seconds()
            parse_s = parse_only(paths)
            cpu1 = cpu_seconds()
            ours_s, failed = ours(paths, args.workers, args.chunk)
            cpu2 = cpu_seconds()
            if failed:
                print(f"FEHLER: {failed} Bögen nicht bewertet", file=sys.stderr)
                sys.exit(1)
            cli_s = cli(Path(tmp) / "bögen", args.workers)
            rounds.append((parse_s, ours_s, cli_s, cpu1 - cpu0, cpu2 - cpu1))
        load_after = os.getloadavg()[0]
    parse_s, ours_s, cli_s = (min(r[i] for r in rounds) for i in range(3))
    parse_cpu, ours_cpu = (min(r[i] for r in rounds) for i in (3, 4))
    parent = mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    children = mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"nur parsen (1 Prozess, CSafeLoader): {parse_s:7.2f} s  {args.n / parse_s:8.0f} Bögen/s")
    print(f"stufenplan batch (score_many, CSV):  {ours_s:7.2f} s  {args.n / ours_s:8.0f} Bögen/s")
    print(f"Verhältnis unser / nur parsen:       {ours_s / parse_s:7.2f}  (Ziel < 1)")
    print(
        f"stufenplan score DIR -f csv -o …:    {cli_s:7.2f} s  {args.n / cli_s:8.0f} Bögen/s  "
        f"Verhältnis {cli_s / parse_s:.2f} (mit Start des Programms und Suche der Dateien)"
    )
    print(
        f"CPU-Zeit: nur parsen {parse_cpu:.2f} s, unser Lauf {ours_cpu:.2f} s über alle Prozesse "
        f"(auf {args.workers} freien Kernen also ≥ {ours_cpu / args.workers:.2f} s, "
        f"Verhältnis ≥ {ours_cpu / args.workers / parse_cpu:.2f}); Last nachher {load_after:.1f}"
    )
    print(
        f"Spitzenspeicher: Elternprozess {parent:.0f} MiB (nach dem Erzeugen {before:.0f} MiB), "
        f"größter Kindprozess (Worker, CLI) {children:.0f} MiB  (Ziel < 150 MiB)"
    )


if __name__ == "__main__":
    main()
