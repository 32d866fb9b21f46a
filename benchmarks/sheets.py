"""Realistic answer sheets for the benchmarks: the mix a consultant's folder really holds.

Half are compact sheets as consultants type them (flow-style municipality, one line per answer, no
comments, a few questions left out); half are filled-in ``stufenplan template`` files as a workshop
returns them (every question a commented block). In both: about 5 % ``weiß nicht``, 3 % ``nicht
zutreffend``, 12 % answers with a note, some sheets with a target stage, and a few sheets with a
mistake (a value that is no option), since a real batch has some. Deterministic for a seed.
"""

from __future__ import annotations

import random
from pathlib import Path

from stufenplan_cli.domain.models.questionnaire import Questionnaire
from stufenplan_cli.render.blank_sheet import blank_sheet

STATES = ["Bayern", "Rheinland-Pfalz", "Schleswig-Holstein", "Mecklenburg-Vorpommern", "Hessen", "Sachsen"]
KINDS = ["Gemeinde", "Stadt", "Markt", "Amt", "Verbandsgemeinde", "Landkreis"]
NOTES = [
    "Lenkungskreis tagt seit 2024 quartalsweise",
    "laut Hauptamt in Vorbereitung",
    "Gruppe uneinig, bitte im Rat besprechen",
    "gemeinsam mit dem Landkreis geplant",
    "Fördermittel beantragt (Smart-City-Programm)",
    "Beschluss des Gemeinderats vom 12. März 2025: „Digitale Gemeinde 2030“",
]
ASSESSORS = ["Beratung Müller & Partner", "Hauptamt", "Lenkungskreis Digitalisierung", "Kämmerei und IT"]
BROKEN_SHARE = 0.005


class SheetMaker:
    """Writes the two kinds of sheet for one questionnaire."""

    def __init__(self, q: Questionnaire, seed: int = 14) -> None:
        self.q = q
        self.rng = random.Random(seed)
        self.template = blank_sheet(q, municipality="@NAME@").splitlines()
        self.slots = {line.strip()[:-1]: i for i, line in enumerate(self.template) if line.endswith(":")}
        self.values = {x.id: sorted(o.value for o in q.options_for(x)) for x in q.questions}

    def value(self, qid: str, broken: bool) -> str:
        rng = self.rng
        values = self.values[qid]
        roll = rng.random()
        if broken:
            text = str(max(values) + 1)
        elif roll < 0.05:
            text = rng.choice(["weiß nicht", "unknown"])
        elif roll < 0.08:
            text = rng.choice(["nicht zutreffend", "n/a"])
        else:
            top = len(values) - 1
            text = str(values[min(top, max(0, round(rng.gauss(top * 0.55, top * 0.3))))])
        if rng.random() < 0.12:
            return f'{{value: {text}, note: "{rng.choice(NOTES)}"}}'
        return text

    def answers(self) -> dict[str, str]:
        broken = self.rng.choice(list(self.values)) if self.rng.random() < BROKEN_SHARE else None
        return {qid: self.value(qid, qid == broken) for qid in self.values}

    def compact(self, number: int) -> str:
        rng = self.rng
        lines = [
            f"questionnaire: {self.q.id}",
            f'questionnaire_version: "{self.q.version}"',
            f'municipality: {{name: "Gemeinde Nummer {number}", ags: "{9_000_000 + number:08d}", '
            f"kind: {rng.choice(KINDS)}, state: {rng.choice(STATES)}, population: {rng.randint(800, 60_000)}}}",
            f"assessed_on: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"assessor: {rng.choice(ASSESSORS)}",
        ]
        if rng.random() < 0.3:
            lines.append(f"target: {{stage: {rng.randint(2, len(self.q.stages))}, year: 2030}}")
        lines.append("answers:")
        skipped = set(rng.sample(list(self.values), rng.randint(0, 4)))
        lines += [f"  {qid}: {text}" for qid, text in self.answers().items() if qid not in skipped]
        return "\n".join(lines) + "\n"

    def filled(self, number: int) -> str:
        rng = self.rng
        lines = list(self.template)
        for i, line in enumerate(lines):
            if line == '  name: "@NAME@"':
                lines[i] = (
                    f'  name: "Gemeinde Nummer {number}"\n  ags: "{9_000_000 + number:08d}"\n'
                    f"  kind: {rng.choice(KINDS)}\n  state: {rng.choice(STATES)}\n"
                    f"  population: {rng.randint(800, 60_000)}"
                )
            elif line.startswith("# assessed_on:"):
                lines[i] = f"assessed_on: 2026-{rng.randint(1, 12):02d}-15"
        for qid, text in self.answers().items():
            lines[self.slots[qid]] = f"  {qid}: {text}"
        return "\n".join(lines) + "\n"


def generate(q: Questionnaire, directory: Path, n: int, seed: int = 14) -> list[Path]:
    """Write N sheets, compact and filled-in template alternating at random, into ``directory``."""
    maker = SheetMaker(q, seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = directory / f"kommune-{i:05d}.yaml"
        text = maker.compact(i) if maker.rng.random() < 0.5 else maker.filled(i)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
