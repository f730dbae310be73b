"""``python -m syslead``."""

from syslead.cli import main

main()
