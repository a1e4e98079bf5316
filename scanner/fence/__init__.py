"""The fence: a scan's critical paths turned into the coding agents' own deny rules.

:mod:`model` is the compact fence file (read by ``blastscan guard`` on every tool call:
standard library only), :mod:`derive` builds it from a scan, and one module per agent
file format merges blastscan's rules into what the user already has.
"""
