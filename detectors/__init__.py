"""Detectors: find candidate secrets in one document at a time.

One module per detector, each behind the :class:`blastscan.detectors.base.Detector`
protocol and listed explicitly in :mod:`blastscan.detectors.registry`.
"""
