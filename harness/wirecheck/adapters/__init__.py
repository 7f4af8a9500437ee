"""Adapters that drive other implementations in-process (optional dependencies)."""
