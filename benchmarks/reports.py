"""How long does ``stufenplan report DIR`` take for many sheets, in one process and in worker processes?

Copies the bundled example (``examples/musterstadt.yaml``) N times into a temporary directory, each
copy with its own municipality name and AGS, and times the whole command (program start included)
with ``--workers 1`` and with the default (all cores), alternating, several rounds; prints the
fastest of each and checks that both wrote the same bytes.

    python benchmarks/reports.py --n 60 --format html
    python benchmarks/reports.py --n 40 --format html,pdf --rounds 1
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stufenplan_cli.services.batch import default_workers

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "musterstadt.yaml"
PLACES = ["Adorf", "Bühl", "Cham", "Dürrwangen", "Eßlingen", "Furth", "Göppingen", "Hürth", "Isny", "Jülich"]


def make_sheets(directory: Path, count: int) -> None:
    """``count`` copies of the example, each a different municipality (so every report differs)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "Stadt Musterstadt" in text
    for i in range(count):
        name = f"{PLACES[i % len(PLACES)]} {i // len(PLACES) + 1}"
        sheet = text.replace("Stadt Musterstadt", f"Stadt {name}").replace("Musterstadt", name)
        (directory / f"kommune-{i:03d}.yaml").write_text(sheet, encoding="utf-8")


def run(sheets: Path, out: Path, formats: str, workers: int | None) -> float:
    """Seconds for one whole ``stufenplan report`` command into a fresh ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "stufenplan_cli", "report", str(sheets), "-f", formats, "-o", f"{out}/"]
    if workers is not None:
        command += ["--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="number of sheets (default 60)")
    parser.add_argument("--format", default="html", help="report formats, as for --format (default html)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sheets = root / "bögen"
        sheets.mkdir()
        make_sheets(sheets, args.n)
        one: list[float] = []
        many: list[float] = []
        for _ in range(args.rounds):
            one.append(run(sheets, root / "eins", args.format, 1))
            many.append(run(sheets, root / "alle", args.format, None))
        names = sorted(p.name for p in (root / "eins").iterdir())
        _, differ, missing = filecmp.cmpfiles(root / "eins", root / "alle", names, shallow=False)
        same = names == sorted(p.name for p in (root / "alle").iterdir()) and not differ and not missing
        files = len(names)
    print(f"{args.n} Bögen, --format {args.format}, {files} Dateien, {args.rounds} Runden (schnellste zählt)")
    print(f"  1 Prozess:      {min(one):7.2f} s  ({min(one) / args.n:.3f} s je Bogen)   alle: {fmt(one)}")
    print(
        f"  {default_workers()} Worker:       {min(many):7.2f} s  ({min(many) / args.n:.3f} s je Bogen)   alle: {fmt(many)}"
    )
    print(f"  Beschleunigung: {min(one) / min(many):7.2f}x   Dateien byte-gleich: {'ja' if same else 'NEIN'}")


def fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
