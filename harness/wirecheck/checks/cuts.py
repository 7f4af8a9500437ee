"""Where frames end and where reads begin: the stream geometry the behaviour rules reason with.

Whether a lost frame ended in the same read as the error, or a read boundary fell inside a
delimiter, decides between names that look alike (``behaviours``); these functions answer such
questions from the reference decoder fed a byte at a time and the cuts of the delivery.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES

if TYPE_CHECKING:
    from .behaviours import Failure


#: Streams longer than this are not searched for frame ends (answered "none found").  The search
#: costs a few decoder feeds per frame, not one per byte, so this bound is about memory, not time.
FRAME_ENDS_UP_TO = 1 << 23
#: Quiet bytes (no frame ending) after which the search stops feeding a byte at a time: a snapshot
#: of the decoder costs what some dozens of one-byte feeds do.
GALLOP_AFTER = 256


def frame_ends(failure: Failure) -> list[int]:
    """The stream offset just after each frame the reference decodes, up to its first error."""
    params = json.dumps(failure.params, sort_keys=True)
    return list(_cached_frame_ends(failure.protocol, params, b"".join(failure.chunks)))


@functools.lru_cache(maxsize=16)
def _cached_frame_ends(protocol: str, params: str, data: bytes) -> tuple[int, ...]:
    return stream_frame_ends(protocol, json.loads(params), data)


def stream_frame_ends(protocol: str, params: dict, data: bytes) -> tuple[int, ...]:
    """Where the reference finishes each frame of ``data`` (the offset just after it), up to its
    first error: what feeding it a byte at a time would show, found without doing so.

    Bytes are fed one at a time until GALLOP_AFTER pass without a frame ending; from there the
    decoder is fed doubling spans from a snapshot of its state, and a span that finishes a frame
    or meets an error is taken back and halved down to one byte.  The reference decodes alike
    however its input is split, so the answer is the byte-at-a-time one, for a few dozen feeds
    per long frame (a 100 KB frame: about forty, where a byte at a time took a tenth of a second).
    """
    if len(data) > FRAME_ENDS_UP_TO:
        return ()
    spec = protocols.get(protocol)
    decoder = spec.decoder(protocols.complete(spec, params))
    ends: list[int] = []
    pos, quiet, span = 0, 0, 1
    while pos < len(data) and decoder.error is None:
        saved = _snapshot(decoder) if span > 1 else None
        if saved is None:
            span = 1
        piece = data[pos : pos + span]
        finished = sum(not isinstance(event, NOT_FRAMES) for event in decoder.feed(piece))
        if len(piece) > 1 and (finished or decoder.error is not None):
            decoder, span = saved, len(piece) // 2  # in this span: take it back, look closer
            continue
        pos += len(piece)
        ends += [pos] * finished
        quiet = 0 if finished else quiet + len(piece)
        span = 1 if quiet < GALLOP_AFTER else max(span * 2, GALLOP_AFTER)
    return tuple(ends)


def _snapshot(decoder):
    """An independent copy of ``decoder``'s state, or None where it is too deeply nested to copy."""
    try:
        return copy.deepcopy(decoder)
    except RecursionError:  # Banana lists nested deeper than the interpreter's stack allows
        return None


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
