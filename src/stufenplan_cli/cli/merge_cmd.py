"""``merge``: combine the sheets of several workshop groups of one municipality into one sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stufenplan_cli.cli.common import Force, QuestionnaireForAll, QuestionnairesDir, Quiet, catalog, note
from stufenplan_cli.errors import UsageError, how_many


def merge(
    sheets: Annotated[
        list[str],
        typer.Argument(metavar="BOGEN...", help="Bögen der Gruppen (Dateien, Verzeichnisse, Muster)."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DATEI", help="Zusammengeführter Bogen (YAML).")
    ],
    questionnaire: QuestionnaireForAll = None,
    force: Force = False,
    quiet: Quiet = False,
    questionnaires_dir: QuestionnairesDir = None,
) -> None:
    """Bögen mehrerer Workshop-Gruppen einer Kommune zu einem Bogen zusammenführen.

    Je Frage zählt der Median der Gruppen (bei gerader Zahl der untere mittlere Wert); „nicht
    zutreffend“ nur, wenn die Mehrheit es sagt; „weiß nicht“ nur, wenn keine Gruppe einen Wert hat.
    Anmerkungen bleiben mit dem Gruppennamen erhalten. Fragen, bei denen die Gruppen zwei oder mehr
    Stufen auseinanderliegen, stehen unter merged.discussion und im Bericht als Diskussionsbedarf.

    Beispiel:
        [bold]stufenplan merge gruppe-*.yaml --output musterstadt.yaml[/]
    """
    from stufenplan_cli.files.inputs import expand, named_twice
    from stufenplan_cli.files.writing import check_output, write_text_atomic
    from stufenplan_cli.services.merge import merge_files, to_yaml

    twice = named_twice(sheets)
    if twice is not None:
        raise UsageError(
            f"{twice[1]} ist dieselbe Datei wie {twice[0]}; jede Gruppe zählt beim Zusammenführen nur einmal"
        )
    paths = list(expand(sheets))
    check_output(output, force, paths)
    cat = catalog(questionnaires_dir)
    given = cat.resolve(questionnaire) if questionnaire else None
    merged = merge_files(paths, cat, given)
    target = given or cat.by_id(merged.questionnaire)
    write_text_atomic(output, to_yaml(merged, target), overwrite=force)
    info = merged.merged
    groups = len(info.sources) if info else len(paths)
    note(f"Geschrieben: {output} (aus {how_many(groups, 'sheets')})", markup=False)
    if info and info.discussion:
        ids = [d.question for d in info.discussion]
        more = f" und {len(ids) - 8} weitere" if len(ids) > 8 else ""
        note(
            f"Diskussionsbedarf bei {how_many(len(ids), 'questions')}: {', '.join(ids[:8])}{more}",
            markup=False,
        )
