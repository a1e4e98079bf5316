"""Detectors, one module per provider or credential family (listed in the registry)."""
