"""``blastscan guard``: a pre-tool-use hook that denies calls reaching a fenced credential.

It runs on every tool call, so it imports the standard library and the lean fence
modules only (never typer, rich, networkx, tree-sitter or detect-secrets: a test in a
fresh interpreter proves it), reads the compact fence file, and never rescans.
"""
