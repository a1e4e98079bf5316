"""``python -m blastscan.scanner``: the console script's own entry (signals, exit status)."""

from blastscan.scanner.cli.launch import main

main()
