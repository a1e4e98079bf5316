"""``python -m blastscan.scanner``."""

from blastscan.scanner.cli.main import main

main()
