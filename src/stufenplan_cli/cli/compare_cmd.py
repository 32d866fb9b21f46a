"""``compare``: one municipality over time, or the municipalities of a region, as one document."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stufenplan_cli.cli.common import (
    Force,
    OutputFile,
    QuestionnaireForAll,
    QuestionnairesDir,
    Quiet,
    Sheets,
    catalog,
    refuse_overwrite,
    show_error,
    write_output,
)
from stufenplan_cli.errors import InputsFailed, UsageError

if TYPE_CHECKING:
    from stufenplan_cli.services.batch import Outcome


class CompareFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


Anonymize = Annotated[
    bool,
    typer.Option(
        "--anonymize",
        help="Namen durch Kürzel (K01, K02 …) ersetzen; Gruppenauswertungen erst ab fünf Kommunen.",
    ),
]
Title = Annotated[
    str | None,
    typer.Option("--title", metavar="NAME", help="Name der Region für das Titelblatt, z. B. „Ilzer Land“."),
]


def compare(
    sheets: Sheets,
    format: Annotated[
        CompareFormat, typer.Option("--format", "-f", metavar="FORMAT", help="Ausgabeformat.")
    ] = CompareFormat.md,
    output: OutputFile = None,
    anonymize: Anonymize = False,
    title: Title = None,
    questionnaire: QuestionnaireForAll = None,
    force: Force = False,
    quiet: Quiet = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Bögen vergleichen: eine Kommune über die Zeit oder mehrere Kommunen einer Region.

    Sind alle Bögen von einer Kommune (gleicher AGS oder Name), zeigt das Dokument den Fortschritt
    zwischen der ersten und der letzten Einschätzung (nach assessed_on). Sonst entsteht ein
    regionaler Vergleich: Verteilung über die Stufen, Heatmap Kommunen × Dimensionen, gemeinsame
    Lücken als Kandidaten für gemeinsame Projekte, und wer wem helfen kann. Fehlerhafte Bögen werden
    am Ende gemeldet (Exit-Code 1); verglichen wird mit den gültigen.

    Beispiele:
        [bold]stufenplan compare musterstadt-2024.yaml musterstadt-2026.yaml[/]
        [bold]stufenplan compare region/ --format html -o region.html --anonymize[/]
    """
    from stufenplan_cli.files.inputs import expand
    from stufenplan_cli.render.comparison import render_comparison
    from stufenplan_cli.services.batch import Settings, score_many
    from stufenplan_cli.services.compare import Profile, profile
    from stufenplan_cli.services.compare import compare as build

    paths = list(expand(sheets))
    refuse_overwrite(output, force, paths)
    cat = catalog(questionnaires_dir)
    given = cat.resolve(questionnaire) if questionnaire else None
    settings = Settings(extra_dirs=tuple(questionnaires_dir or ()), questionnaire=questionnaire)
    profiles: list[Profile] = []
    failures: list[Outcome[Any]] = []
    for outcome in score_many(paths, settings, transform=profile, catalog=cat):
        if outcome.ok and outcome.value is not None:
            profiles.append(outcome.value)
        else:
            failures.append(outcome)
    try:
        if profiles:
            target = given or cat.by_id(profiles[0].result.questionnaire.id)
            comparison = build(profiles, target, anonymize=anonymize)
            write_output(render_comparison(comparison, format.value, title=title), output, force)
    except UsageError as exc:
        if not failures:
            raise
        show_error(exc)  # too few good sheets because some are broken: the input is at fault (exit 1)
    finally:  # the bad sheets are listed even when too few good ones are left to compare
        for failure in failures:
            show_error(failure.error())
    if failures:
        raise InputsFailed(len(failures), len(paths), then="verglichen wurden die übrigen")
    if not profiles:
        raise UsageError("Keine Bögen zum Vergleichen angegeben")
