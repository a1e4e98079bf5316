"""``python -m blastscan.scanner``."""

from blastscan.scanner.cli import main

main()
