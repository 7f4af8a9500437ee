"""Hypothesis strategies for framing protocols: public API.

    from wirecheck import strategies as ws

    @given(ws.streams("netstring", {"max_length": 100}), st.data())
    def test_my_decoder(stream, data):
        chunks = data.draw(ws.chunkings(stream.data, favour=stream.marks))
        assert my_decode(chunks) == stream.frames

Every strategy takes a registered protocol name (``wirecheck.protocols.names()``) and its
parameters in the golden vectors' shape (``{"max_length": 10, "delimiter": "0d0a"}``,
``{"dialect": "pb", "strict": False}``); what is missing takes the protocol's default,
and an unknown protocol or parameter is a ``ParameterError``.  docs/properties.md
describes each strategy.  ``__all__`` is the whole public face; a test checks that each
name in it exists and that nothing public is left out.
"""

from .banana import FLOAT_EDGES, INT_EDGES, banana_values
from .base import NOT_UTF8, Config, config
from .chunks import chunkings, every_chunking
from .frames import Frame, Stream, bursts, frames, payloads, streams
from .hostile import Hostile, corruptions, garbage_streams, hostile_streams
from .lines import line_safe


def __getattr__(name: str):
    """``CORRUPTIONS``: protocol -> corruption kind -> what it does (``corruptions()``, on first use,
    so that importing the strategies does not import every family's module)."""
    if name == "CORRUPTIONS":
        globals()["CORRUPTIONS"] = value = corruptions()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CORRUPTIONS",
    "FLOAT_EDGES",
    "INT_EDGES",
    "NOT_UTF8",
    "Config",
    "Frame",
    "Hostile",
    "Stream",
    "banana_values",
    "bursts",
    "chunkings",
    "config",
    "corruptions",
    "every_chunking",
    "frames",
    "garbage_streams",
    "hostile_streams",
    "line_safe",
    "payloads",
    "streams",
]
