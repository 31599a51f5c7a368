"""Fenghuo 烽火 — overseas IP early warning, filing planning, dispute response and plan tracking."""

__version__ = "0.1.0"
