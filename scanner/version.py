"""The tool version, kept in one place (pyproject.toml's version must match; a test checks)."""

VERSION = "0.1.0"
