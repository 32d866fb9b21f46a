"""Allow ``python -m stufenplan_cli``."""

from stufenplan_cli.cli.app import main

main()
