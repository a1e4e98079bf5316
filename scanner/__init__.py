"""blastscan's scanning core: discovery, engine, reach, graph, gate and CLI.

The package is one of three sub-packages of the ``blastscan`` namespace; keep this
file free of imports so that ``blastscan.detectors`` can import the core models
without pulling in the engine.
"""
