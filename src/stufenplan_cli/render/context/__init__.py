"""The report context: every fact a report template needs, as typed, read-only records.

``records.py`` is the contract with ``report_templates/`` (each field documented); ``build.py`` fills it
from a scored sheet. ``build_context`` is the one entry point; the renderers pass
``context.variables()`` to the templates.
"""

from stufenplan_cli.render.context.build import TOP_MEASURES, build_context
from stufenplan_cli.render.context.records import ReportContext

__all__ = ["TOP_MEASURES", "ReportContext", "build_context"]
