"""Detectors: find candidate secrets in one document at a time.

One module per detector, each behind the :class:`blastscan.detectors.base.Detector`
protocol and listed explicitly in :mod:`blastscan.detectors.registry`.
"""

# Before any detector imports detect-secrets: its HTTP client stays unloaded (see offline).
from blastscan.detectors import offline  # noqa: F401
