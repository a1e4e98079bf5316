"""Matching machinery the detectors share: keywords, value shapes, names, filters."""
