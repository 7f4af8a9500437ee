"""Fuzz inputs: how one libFuzzer input stands for a stream and the reads it is cut into.

The format is ours, so that a golden vector can be written as an input (the corpus is seeded
from the vectors) and any input read back as a vector:

    byte 0           n, the number of read boundaries (taken modulo MAX_CUTS + 1)
    bytes 1 .. 3n    the boundaries, three bytes big-endian each, taken modulo the stream's length
    the rest         the stream

A boundary of 0 (or one repeated) adds no read.  ``mutate`` is the protocol-aware mutator
libFuzzer calls instead of its own: it moves cuts onto the places where a split changes an
outcome (a frame's end, inside a delimiter), puts frames of the maximum give or take a byte
into the stream, repeats, drops or swaps frames, inserts a leading zero, and otherwise leaves
the bytes to libFuzzer's byte-level mutations.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from wirecheck import protocols
from wirecheck.checks.cuts import stream_frame_ends
from wirecheck.codecs import NOT_FRAMES

_RNG = random.Random()
#: Percent of mutations left to libFuzzer's byte-level mutator on the whole input (it runs in C;
#: the structured ones cost a decode and an encode in Python, and are worth it less often).
BYTE_LEVEL_SHARE = 70
#: The most read boundaries one input holds.
MAX_CUTS = 32
_WIDTH = 3


def decode(data: bytes) -> list[bytes]:
    """The reads an input stands for (one empty read for an empty stream)."""
    count = data[0] % (MAX_CUTS + 1) if data else 0
    head = 1 + _WIDTH * count
    stream = data[head:]
    if len(stream) < 2:
        return [stream]
    raw = data[1:head]
    cuts = sorted({int.from_bytes(raw[i : i + _WIDTH], "big") % len(stream) for i in range(0, len(raw), _WIDTH)})
    bounds = [0, *(c for c in cuts if c), len(stream)]
    return [stream[a:b] for a, b in pairwise(bounds)]


def encode(chunks: list[bytes]) -> bytes:
    """The input that ``decode`` reads as these reads (beyond MAX_CUTS boundaries, the first ones)."""
    cuts, pos = [], 0
    for chunk in chunks[:-1]:
        pos += len(chunk)
        cuts.append(pos)
    cuts = cuts[:MAX_CUTS]
    return bytes([len(cuts)]) + b"".join(c.to_bytes(_WIDTH, "big") for c in cuts) + b"".join(chunks)


def name_of(data: bytes) -> str:
    """A content-derived file name (libFuzzer's own convention: the SHA-1 of the input)."""
    return hashlib.sha1(data).hexdigest()


def seed_corpus(directory: Path, vectors, max_len: int) -> int:
    """Write each vector (its input and reads) into ``directory`` as an input; how many were new."""
    directory.mkdir(parents=True, exist_ok=True)
    new = 0
    for vector in vectors:
        data = encode(list(vector.chunks) if vector.chunks else [vector.input])
        path = directory / name_of(data)
        if len(data) <= max_len and not path.exists():
            path.write_bytes(data)
            new += 1
    return new


@dataclass(frozen=True)
class Mutator:
    """libFuzzer's custom mutator for one configuration: ``mutator(data, max_size, seed)``.

    ``byte_level`` is libFuzzer's own mutation (``atheris.Mutate``); a mutation that cannot
    apply (no frame to repeat) falls back to it, so every call changes something.
    """

    protocol: str
    params: dict
    byte_level: Callable[[bytes, int], bytes]

    def __call__(self, data: bytes, max_size: int, seed: int) -> bytes:
        rng = _RNG
        rng.seed(seed)
        choice = rng.randrange(100)
        if choice < BYTE_LEVEL_SHARE:  # libFuzzer's own, on the whole input: cuts and bytes alike
            return self.byte_level(data, max_size)
        chunks = decode(data)
        stream = b"".join(chunks)
        cuts = _cuts_of(chunks)
        if choice < BYTE_LEVEL_SHARE + 10:  # the stream's bytes only, its cuts kept
            stream = self.byte_level(stream, max(1, max_size - 1 - _WIDTH * len(cuts)))
            cuts = [c for c in cuts if c < len(stream)]
        elif choice < BYTE_LEVEL_SHARE + 20:
            cuts = self._recut(rng, stream, cuts)
        else:
            stream, cuts = self._reframe(rng, stream, cuts)
        out = encode(_chunks_of(stream, cuts))
        return out[:max_size]

    def _ends(self, stream: bytes) -> list[int]:
        """Where frames end, near enough for a mutation: the decoded frames' encoded sizes added
        up (exact for canonical frames; a byte-at-a-time search costs ten times as much)."""
        spec = protocols.get(self.protocol)
        decoder = spec.decoder(self.params)
        ends, pos = [0], 0
        try:
            encode_one = spec.encoder(self.params, None)
            for event in decoder.feed(stream):
                if not isinstance(event, NOT_FRAMES):
                    pos += len(encode_one(event))
                    ends.append(min(pos, len(stream)))
        except Exception:  # a frame the encoder refuses: find the ends the exact way
            return [0, *stream_frame_ends(self.protocol, self.params, stream[:4096])]
        return ends

    def _recut(self, rng: random.Random, stream: bytes, cuts: list[int]) -> list[int]:
        """A boundary added at a frame's end or one or two bytes before it (inside a delimiter,
        before a terminator), or one removed, or one moved by a byte."""
        if len(stream) < 2:
            return cuts
        kind = rng.randrange(3)
        if kind == 0 or not cuts:
            ends = self._ends(stream)
            at = rng.choice(ends) - rng.choice((0, 1, 2)) if len(ends) > 1 else rng.randrange(1, len(stream))
            cuts = [*cuts, at]
        elif kind == 1:
            cuts = [c for c in cuts if c != rng.choice(cuts)]
        else:
            moved = rng.choice(cuts)
            cuts = [c for c in cuts if c != moved] + [moved + rng.choice((-1, 1))]
        return sorted({c for c in cuts if 0 < c < len(stream)})[:MAX_CUTS]

    def _reframe(self, rng: random.Random, stream: bytes, cuts: list[int]) -> tuple[bytes, list[int]]:
        """A frame of the maximum give or take one byte put in; a frame repeated, dropped or two
        swapped; a '0' inserted where a frame starts (a leading zero in a decimal length)."""
        spec = protocols.get(self.protocol)
        ends = self._ends(stream)
        frames = [stream[a:b] for a, b in pairwise(ends)]
        tail = stream[ends[-1] :]
        i = rng.randrange(len(frames) + 1)
        kind = rng.randrange(5)
        limit = spec.limit(self.params)
        if kind == 0 and limit is not None and spec.frame_any_length is not None and limit < 1 << 16:
            size = max(0, limit + rng.choice((-1, 0, 1)))
            big = spec.frame_any_length(self.params, _filler(self.params) * size)
            frames.insert(i, big if big is not None else b"")
        elif kind == 1 and frames:
            frames.insert(i, frames[min(i, len(frames) - 1)])
        elif kind == 2 and frames:
            frames.pop(min(i, len(frames) - 1))
        elif kind == 3 and len(frames) > 1:
            j = rng.randrange(len(frames))
            k = min(i, len(frames) - 1)
            frames[j], frames[k] = frames[k], frames[j]
        else:
            start = ends[min(i, len(ends) - 1)]
            return stream[:start] + b"0" + stream[start:], [c + (c > start) for c in cuts]
        out = b"".join(frames) + tail
        return out, [c for c in cuts if c < len(out)]


def _filler(params: dict) -> bytes:
    """A payload byte no delimiter contains."""
    delimiter = bytes.fromhex(params.get("delimiter", ""))
    return next(bytes([b]) for b in b"ax0" if b not in delimiter)


def _cuts_of(chunks: list[bytes]) -> list[int]:
    out, pos = [], 0
    for chunk in chunks[:-1]:
        pos += len(chunk)
        out.append(pos)
    return out


def _chunks_of(stream: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(stream)}), len(stream)]
    return [stream[a:b] for a, b in pairwise(bounds)]
