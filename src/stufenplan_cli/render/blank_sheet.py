"""A blank answer sheet for a workshop, rendered from report_templates/answer_sheet.yaml.j2."""

from __future__ import annotations

from stufenplan_cli.domain.conditions import condition_text, lowest_value
from stufenplan_cli.domain.models.questionnaire import Questionnaire

DEFAULT_SCHEMA_REF = "stufenplan-answers.schema.json"


def blank_sheet(
    questionnaire: Questionnaire, schema_ref: str = DEFAULT_SCHEMA_REF, municipality: str = ""
) -> str:
    """YAML text: valid as it stands, each question a commented block with its text and options."""
    from stufenplan_cli.render.templating import environment

    template = environment().get_template("answer_sheet.yaml.j2")
    return str(
        template.render(
            q=questionnaire,
            schema_ref=schema_ref,
            municipality=municipality,
            stages=[(s, questionnaire.questions_of_stage(s.id)) for s in questionnaire.stages],
            conditions={x.id: condition_text(questionnaire, x) for x in questionnaire.questions},
            lowest={x.id: lowest_value(questionnaire, x) for x in questionnaire.questions},
        )
    )


def interview_sheet(questionnaire: Questionnaire, municipality: str) -> str:
    """The blank sheet the interview starts from: every question commented, no schema line (it writes no schema)."""
    lines = blank_sheet(questionnaire, municipality=municipality).splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return "".join(lines)
