"""Varint-prefix corruptions: overlong, too long, beyond 64 bits, over the maximum, a changed byte."""

from __future__ import annotations

from hypothesis import strategies as st

from wirecheck.codecs.varint import encode_varint

from .base import Config, FamilyStrategies, replace_one

CORRUPTIONS = {
    "varint_byte": "one byte of the varint changed",
    "overlong": "the length in a non-minimal form (zero groups added at the end)",
    "too_long": "a varint of 11 or more bytes",
    "overflow": "a tenth varint byte carrying bits beyond 64",
    "over_max": "a length of max_length + 1 (refused before its payload, so only a little of it follows)",
}


def _varint_size(frame: bytes) -> int:
    size = 1
    while size < len(frame) and frame[size - 1] & 0x80:
        size += 1
    return size


def corrupt(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    size = _varint_size(piece)
    varint, payload = piece[:size], piece[size:]
    if kind == "varint_byte":
        return replace_one(draw, piece, list(range(size)), b"")
    if kind == "overlong":
        extra = draw(st.integers(1, 10 - size)) if size < 10 else 0
        if not extra:
            return piece
        groups = bytes([varint[-1] | 0x80]) + b"\x80" * (extra - 1) + b"\x00"
        return varint[:-1] + groups + payload
    if kind == "too_long":
        return b"\x80" * draw(st.integers(10, 12)) + b"\x01" + payload
    if kind == "overflow":
        return b"\xff" * 9 + bytes([draw(st.integers(2, 0x7F))]) + payload
    if kind == "over_max":
        return encode_varint(cfg.limit + 1) + cfg.filler * min(cfg.limit + 1, 16)
    raise ValueError(f"no varint corruption {kind!r}")


STRATEGIES = FamilyStrategies(CORRUPTIONS, corrupt)
