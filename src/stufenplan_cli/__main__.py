"""Allow ``python -m stufenplan_cli``."""

from stufenplan_cli.cli import main

main()
