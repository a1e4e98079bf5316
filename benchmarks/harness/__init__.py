"""Helpers of the benchmark harness ``benchmarks/bench.py``: trees, tools, timing, report.

A plain folder next to the scripts (not part of the installed package): the scripts run
as ``python benchmarks/bench.py``, which puts ``benchmarks/`` first on ``sys.path``.
"""
