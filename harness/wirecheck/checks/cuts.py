"""Where frames end and where reads begin: the stream geometry the behaviour rules reason with.

Whether a lost frame ended in the same read as the error, or a read boundary fell inside a
delimiter, decides between names that look alike (``behaviours``); these functions answer such
questions from the reference decoder fed a byte at a time and the cuts of the delivery.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES

if TYPE_CHECKING:
    from .behaviours import Failure


#: Streams longer than this are not fed a byte at a time to find where frames end (about a
#: microsecond a byte: a quarter of a second at this size, asked once per stream thanks to the cache).
FRAME_ENDS_UP_TO = 1 << 18


def frame_ends(failure: Failure) -> list[int]:
    """The stream offset just after each frame the reference decodes (fed a byte at a time)."""
    params = json.dumps(failure.params, sort_keys=True)
    return list(_frame_ends(failure.protocol, params, b"".join(failure.chunks)))


@functools.lru_cache(maxsize=16)
def _frame_ends(protocol: str, params: str, data: bytes) -> tuple[int, ...]:
    spec = protocols.get(protocol)
    decoder = spec.decoder(protocols.complete(spec, json.loads(params)))
    ends: list[int] = []
    if len(data) > FRAME_ENDS_UP_TO:
        return ()
    for i in range(len(data)):
        ends += [i + 1 for event in decoder.feed(data[i : i + 1]) if not isinstance(event, NOT_FRAMES)]
        if decoder.error is not None:
            break
    return tuple(ends)


def read_of(chunks: Sequence[bytes], offset: int) -> int:
    """Which read (chunk index) holds stream offset ``offset``."""
    seen = 0
    for i, chunk in enumerate(chunks):
        seen += len(chunk)
        if offset < seen:
            return i
    return len(chunks)


def delimiter_cut(failure: Failure, frame_index: int) -> bool:
    """Does a read boundary fall inside the delimiter that ends frame ``frame_index``?"""
    delimiter = delimiter_of(failure.protocol, failure.params)
    if len(delimiter) < 2:
        return False
    ends = frame_ends(failure)
    if frame_index >= len(ends):
        return False
    end = ends[frame_index]
    cuts, seen = set(), 0
    for chunk in failure.chunks:
        seen += len(chunk)
        cuts.add(seen)
    return any(end - len(delimiter) < c < end for c in cuts)


def delimiter_of(protocol: str, params: dict) -> bytes:
    """The configured line delimiter (b'' for framings without one)."""
    if protocol != "line":
        return b""
    spec = protocols.get(protocol)
    return bytes.fromhex(protocols.complete(spec, params)["delimiter"])


def holds_whole_over_long_frame(failure: Failure, limit: int) -> bool:
    """Does the stream hold a frame longer than ``limit`` complete, its end included (a line's
    delimiter, all of a declared payload)?  Read by the reference with the maximum raised to the
    stream's length: a receiver with no maximum would have delivered that frame, and answered."""
    spec = protocols.get(failure.protocol)
    data = b"".join(failure.chunks)
    try:
        config = protocols.complete(spec, {**failure.params, "max_length": max(len(data), limit + 1)})
    except ValueError:  # the protocol cannot carry a maximum that large: int8's is its own
        return False
    return any(not isinstance(e, NOT_FRAMES) and len(e) > limit for e in spec.decoder(config).feed(data))
