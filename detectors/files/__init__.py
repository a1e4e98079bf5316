"""Structured readers of credential-file formats: the format says which field is a secret."""
