"""Valid payloads, frames and streams for any registered protocol and configuration.

``params`` has the shape of a vector group's parameters (``max_length``, ``delimiter`` as
hex, Banana ``dialect`` and ``strict``); what is missing takes the protocol's default.
Payloads near the maximum are a few drawn bytes padded with a filler byte: Hypothesis
draws at most a few KiB per example, and the boundary is what matters, not the 99,998
bytes before it.  Frames inside streams are at most ``STREAM_PAYLOAD_CAP`` bytes: a 4 MiB
maximum is tested at its boundary (the ``max_length_boundary`` property), not by filling
every stream with 4 MiB frames.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from hypothesis import strategies as st

from .base import NOT_UTF8, Config, bytes_with_interesting, config, family_strategies

#: The longest payload drawn for a frame inside a stream (the maximum itself, if lower).
STREAM_PAYLOAD_CAP = 1 << 17


def payloads(protocol: str, params: dict | None = None):
    """Payloads a conforming receiver must accept: empty, short, non-UTF-8, max-1 and max-length.

    For a structured protocol (Banana), the values its family draws."""
    return payloads_for(config(protocol, params))


def payloads_for(cfg: Config, largest: int | None = None):
    """``payloads`` for a resolved configuration, no longer than ``largest`` (default: the maximum)."""
    family = family_strategies(cfg.spec)
    if family.payloads is not None:
        return family.payloads(cfg)
    top = cfg.limit if largest is None else min(cfg.limit, largest)
    small = bytes_with_interesting(min(top, 24), cfg.special)
    odd = st.sampled_from([p[:top] for p in NOT_UTF8])
    size = st.sampled_from(sorted({n for n in (top, top - 1, top // 2) if n >= 0})) | st.integers(0, top)
    head = bytes_with_interesting(min(top, 16), cfg.special)

    @st.composite
    def sized(draw):
        n = draw(size)
        start = draw(head)[:n]
        return start + cfg.filler * (n - len(start))

    return st.one_of(small, small, odd, sized()).map(cfg.fit)


class Frame(NamedTuple):
    value: Any  # the payload (bytes) or structured value
    data: bytes  # its canonical encoding


def frames(protocol: str, params: dict | None = None):
    """One valid frame: the value a receiver must deliver, and its bytes on the wire."""
    return frames_for(config(protocol, params))


def frames_for(cfg: Config, largest: int | None = STREAM_PAYLOAD_CAP):
    encode = cfg.encoder()
    return payloads_for(cfg, largest).map(lambda value: Frame(value, encode(value)))


class Stream(NamedTuple):
    frames: list  # what a conforming receiver delivers, in order
    data: bytes  # the stream
    marks: tuple  # offsets worth cutting at: frame boundaries and the insides of headers and delimiters


def marks_of(cfg: Config, pieces: list[bytes]) -> tuple:
    """Offsets in the joined ``pieces`` where a split is most likely to expose a bug."""
    out: set[int] = set()
    pos = 0
    for piece in pieces:
        out.add(pos)
        if piece:
            out.update(pos + k for k in cfg.spec.cut_points(cfg.params, piece))
        pos += len(piece)
    out.add(pos)
    return tuple(sorted(out))


def streams(protocol: str, params: dict | None = None, min_frames: int = 0, max_frames: int = 8):
    """Whole streams of valid frames, with the offsets worth splitting at."""
    cfg = config(protocol, params)
    return st.lists(frames_for(cfg), min_size=min_frames, max_size=max_frames).map(
        lambda fs: Stream([f.value for f in fs], b"".join(f.data for f in fs), marks_of(cfg, [f.data for f in fs]))
    )


def bursts(protocol: str, params: dict | None = None, min_frames: int = 50, max_frames: int = 400):
    """Many small frames at once: what a pipelining client sends in one write.

    A few drawn templates are repeated with a running number in each frame, so that
    a lost, duplicated or reordered frame shows, at the cost of a handful of draws.
    """
    cfg = config(protocol, params)
    encode = cfg.encoder()
    family = family_strategies(cfg.spec)
    count = st.integers(min_frames, max_frames)
    if family.numbered is not None:
        templates = st.lists(st.one_of(st.binary(max_size=8), st.integers(-1000, 1000)), min_size=1, max_size=4)
        number = family.numbered
    else:
        room = max(0, min(cfg.limit, 8) - 3)
        templates = st.lists(bytes_with_interesting(room, cfg.special), min_size=1, max_size=4)

        def number(i: int, shape: bytes) -> bytes:
            return cfg.fit(_numbered(shape, i, cfg.limit))

    def build(args):
        n, shapes = args
        values = [number(i, shapes[i % len(shapes)]) for i in range(n)]
        return Stream(values, b"".join(map(encode, values)), ())

    return st.tuples(count, templates).map(build)


def _numbered(shape: bytes, i: int, max_length: int) -> bytes:
    """``shape`` with ``i`` after it, cut to max_length from the left so the number survives."""
    value = shape + b"%03d" % (i % 1000)
    return value[len(value) - max_length :] if len(value) > max_length else value
