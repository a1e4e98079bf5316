"""Configuration: the scan configuration and the settings files that build it."""
