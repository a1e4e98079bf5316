"""Reporters: pure functions that turn a :class:`~blastscan.scanner.models.ScanResult` into text.

One module per output format, dispatched from :func:`blastscan.reports.base.render`.
Reporters never write files or print: the CLI decides between stdout and ``--output``.
Kept free of imports so that importing one reporter does not load the others.
"""
