"""wirecheck: a conformance and fuzz test harness for byte-stream framing protocols."""

__version__ = "0.1.0"
