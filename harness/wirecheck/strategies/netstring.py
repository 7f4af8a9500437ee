"""Netstring corruptions: the length, its colon and the terminating comma."""

from __future__ import annotations

from hypothesis import strategies as st

from .base import Config, FamilyStrategies, replace_one

CORRUPTIONS = {
    "length_digit": "a digit of the length replaced by another byte",
    "leading_zero": "a zero put before the length",
    "sign": "a sign or space put before the length",
    "colon": "the ':' replaced by another byte",
    "terminator": "the ',' replaced by another byte",
    "over_max": "a frame of max_length + 1 bytes",
}


def corrupt(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    colon = piece.index(b":")
    if kind == "length_digit":
        return replace_one(draw, piece, list(range(colon)), b"0123456789")
    if kind == "leading_zero":
        return b"0" + piece
    if kind == "sign":
        return draw(st.sampled_from([b"+", b"-", b" "])) + piece
    if kind == "colon":
        return replace_one(draw, piece, [colon], b":")
    if kind == "terminator":  # mostly the terminators a sloppy parser might also accept
        if draw(st.booleans()):
            return piece[:-1] + draw(st.sampled_from([b"\r", b"\n", b";", b" ", b"\x00", b"."]))
        return replace_one(draw, piece, [len(piece) - 1], b",")
    if kind == "over_max":
        n = cfg.limit + 1
        return b"%d:%s," % (n, cfg.filler * n)
    raise ValueError(f"no netstring corruption {kind!r}")


STRATEGIES = FamilyStrategies(CORRUPTIONS, corrupt)
