"""Twisted's own receivers on the real reactor."""
