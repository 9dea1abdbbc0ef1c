"""``python -m allegiance.cli``."""

from allegiance.cli import main

main()
