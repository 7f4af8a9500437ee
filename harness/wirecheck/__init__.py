"""wirecheck: a conformance and fuzz test harness for byte-stream framing protocols.

The importable faces: ``wirecheck.protocols`` (the registry), ``wirecheck.codecs`` (the
sans-IO reference codecs), ``wirecheck.strategies`` (Hypothesis strategies),
``wirecheck.checks`` (conformance checks against any target) and ``wirecheck.targets``.
This module imports none of them, so that ``import wirecheck`` (and the pytest plugin's
start-up) stays cheap.
"""

__version__ = "0.2.0"
