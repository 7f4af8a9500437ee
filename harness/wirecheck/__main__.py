"""``python -m wirecheck`` is ``wirecheck``."""

from wirecheck.cli import entry_point

entry_point()
