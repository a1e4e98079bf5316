"""The scan pipeline: discovery, per-file detection, history, merge, the engine."""
