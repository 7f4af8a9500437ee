"""Banana values at every encoding boundary, and corruptions of Banana elements."""

from __future__ import annotations

from hypothesis import strategies as st

from wirecheck.codecs import banana

from .base import NOT_UTF8, Config, FamilyStrategies, config, replace_one

#: Integers at every encoding boundary: one and two base-128 digits, INT/NEG vs
#: LONGINT/LONGNEG, and the largest magnitude 64 prefix digits can carry.
INT_EDGES = tuple(
    sorted(
        {s * v for v in (0, 1, 127, 128, 16383, 16384, 2**21, 2**31 - 1, 2**31, 2**31 + 1, 2**63, 2**64,
                         2 ** (7 * banana.PREFIX_LIMIT) - 1)
         for s in (1, -1)}
    )
)  # fmt: skip

#: Floats every decoder must carry bit for bit: NaN, the infinities, -0.0, the smallest subnormal, the largest.
FLOAT_EDGES = (float("nan"), float("inf"), float("-inf"), -0.0, 5e-324, 1.7976931348623157e308)

CORRUPTIONS = {
    "type_byte": "a type byte replaced by an unknown one (0x88-0xff)",
    "prefix_digit": "a prefix digit changed (or one added)",
    "leading_zero": "a non-minimal prefix (a zero most significant digit)",
    "sign": "INT and NEG (LONGINT and LONGNEG) swapped, or a STRING/LIST made NEG",
    "prefix_too_long": "65 bytes of prefix",
    "vocab": "a VOCAB id with no word (or any VOCAB outside pb)",
    "over_max": "a STRING or LIST longer than the size limit",
}


def banana_values(params: dict | None = None, max_leaves: int = 24):
    """Banana expressions within the limits: ints at every boundary, floats with NaN, inf and -0.0,
    byte strings (pb vocabulary words included), and nested lists."""
    config("banana", params)  # refuses a role it does not cover
    return _values(max_leaves)


def _values(max_leaves: int = 24):
    largest = 2 ** (7 * banana.PREFIX_LIMIT) - 1
    ints = st.one_of(st.sampled_from(INT_EDGES), st.integers(-300, 300), st.integers(-largest, largest))
    words = st.sampled_from(sorted(banana.WORD_IDS))
    strings = st.one_of(st.binary(max_size=32), words, st.sampled_from(NOT_UTF8))
    floats = st.one_of(st.floats(), st.sampled_from(FLOAT_EDGES))
    scalars = st.one_of(ints, floats, strings)
    return st.recursive(scalars, lambda kids: st.lists(kids, max_size=6), max_leaves=max_leaves)


def corrupt(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    type_at = next(i for i, b in enumerate(piece) if b >= 0x80)
    if kind == "type_byte":
        return piece[:type_at] + bytes([draw(st.integers(banana.VOCAB + 1, 0xFF))]) + piece[type_at + 1 :]
    if kind == "prefix_digit":
        if type_at == 0:
            return bytes([draw(st.integers(0, 0x7F))]) + piece
        return replace_one(draw, piece, list(range(type_at)), b"")
    if kind == "leading_zero":  # a non-minimal prefix: a zero most significant digit
        return piece[:type_at] + b"\x00" + piece[type_at:]
    if kind == "sign":
        swap = {banana.INT: banana.NEG, banana.NEG: banana.INT, banana.LONGINT: banana.LONGNEG,
                banana.LONGNEG: banana.LONGINT, banana.STRING: banana.NEG, banana.LIST: banana.NEG}  # fmt: skip
        return piece[:type_at] + bytes([swap.get(piece[type_at], banana.NEG)]) + piece[type_at + 1 :]
    if kind == "prefix_too_long":
        return b"\x01" * (banana.PREFIX_LIMIT + 1) + bytes([banana.INT])
    if kind == "vocab":
        return bytes([draw(st.integers(len(banana.VOCABULARY) + 1, 0x7F)), banana.VOCAB])
    if kind == "over_max":
        header = bytearray()
        banana._b128(banana.SIZE_LIMIT + 1, header)  # the codec's own base-128 prefix writer
        return bytes(header) + bytes([draw(st.sampled_from([banana.STRING, banana.LIST]))])
    raise ValueError(f"no banana corruption {kind!r}")


STRATEGIES = FamilyStrategies(
    CORRUPTIONS,
    corrupt,
    payloads=lambda cfg: _values(),
    numbered=lambda i, shape: [i, shape],
    limit_kinds=("over_max", "prefix_too_long"),
    property_flags={"max_length_boundary": "SizeLimit", "burst": "List"},
)
