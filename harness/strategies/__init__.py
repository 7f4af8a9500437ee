"""Hypothesis strategies for framing protocols: public API.

    from harness import strategies as ws

    @given(ws.streams("netstring", {"max_length": 100}), st.data())
    def test_my_decoder(stream, data):
        chunks = data.draw(ws.chunkings(stream.data, favour=stream.marks))
        assert my_decode(chunks) == stream.frames

Every strategy takes a protocol (``netstring``, ``int8``, ``int16``, ``int32``,
``line``, ``banana``) and its parameters in the golden vectors' shape
(``{"max_length": 10, "delimiter": "0d0a"}``, ``{"dialect": "pb", "strict": False}``).
docs/strategies.md describes each one.
"""

from harness.strategies.chunks import chunkings, every_chunking
from harness.strategies.frames import (
    FLOAT_EDGES,
    INT_EDGES,
    NOT_UTF8,
    PROTOCOLS,
    Frame,
    Stream,
    banana_values,
    bursts,
    config,
    frames,
    line_safe,
    payloads,
    streams,
)
from harness.strategies.hostile import CORRUPTIONS, Hostile, garbage_streams, hostile_streams

__all__ = [
    "CORRUPTIONS",
    "FLOAT_EDGES",
    "INT_EDGES",
    "NOT_UTF8",
    "PROTOCOLS",
    "Frame",
    "Hostile",
    "Stream",
    "banana_values",
    "bursts",
    "chunkings",
    "config",
    "every_chunking",
    "frames",
    "garbage_streams",
    "hostile_streams",
    "line_safe",
    "payloads",
    "streams",
]
