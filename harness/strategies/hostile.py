"""Streams that are valid except for one corruption, with the outcome the oracle predicts.

A hostile stream is a few valid frames, one corrupted frame, and more valid frames
after it.  The test never guesses what should happen: ``expected`` is what the
reference codec does with exactly these bytes (and ``alternatives`` what else a
conforming receiver may do), so a corruption that happens to leave the stream valid
(a changed length byte can) is checked as the valid stream it became.
"""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import strategies as st

from harness.codecs import banana, intprefix
from harness.oracle import Observation, predict
from harness.strategies.frames import (
    INTERESTING_BYTES,
    Config,
    _bytes_with_interesting,
    config,
    frames,
    marks_of,
)


class Hostile(NamedTuple):
    data: bytes
    corruption: str  # which corruption (a key of CORRUPTIONS[protocol])
    at: int  # stream offset of the corrupted frame
    valid_before: list  # the frames before it, which a receiver must still deliver
    marks: tuple  # offsets worth splitting at
    expected: Observation  # what the reference does with ``data``
    alternatives: list  # other observations a conforming receiver may give


def _replace_one(draw, piece: bytes, positions: list[int], avoid: bytes) -> bytes:
    """``piece`` with one byte at one of ``positions`` changed, half the time to a byte that
    means something to some protocol (CR, LF, ':', a digit, ...), so near-misses get tried."""
    i = draw(st.sampled_from(positions))
    special = [b for b in INTERESTING_BYTES if b not in avoid]
    allowed = [b for b in range(256) if b not in avoid]
    pool = special if special and draw(st.booleans()) else allowed
    byte = pool[draw(st.integers(0, len(pool) - 1))]
    return piece[:i] + bytes([byte]) + piece[i + 1 :]


def _netstring(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    colon = piece.index(b":")
    if kind == "length_digit":
        return _replace_one(draw, piece, list(range(colon)), b"0123456789")
    if kind == "leading_zero":
        return b"0" + piece
    if kind == "sign":
        return draw(st.sampled_from([b"+", b"-", b" "])) + piece
    if kind == "colon":
        return _replace_one(draw, piece, [colon], b":")
    if kind == "terminator":  # mostly the terminators a sloppy parser might also accept
        if draw(st.booleans()):
            return piece[:-1] + draw(st.sampled_from([b"\r", b"\n", b";", b" ", b"\x00", b"."]))
        return _replace_one(draw, piece, [len(piece) - 1], b",")
    n = cfg.max_length + 1  # over_max
    return b"%d:%s," % (n, cfg.filler * n)


def _intprefix(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    width = intprefix.WIDTHS[cfg.protocol]
    if kind == "prefix_byte":
        return _replace_one(draw, piece, list(range(width)), piece[:width])
    n = cfg.max_length + 1  # over_max; only offered when it fits the prefix
    return n.to_bytes(width, "big") + cfg.filler * n


def _line(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    d = len(cfg.delimiter)
    if kind == "delimiter":
        return _replace_one(draw, piece, list(range(len(piece) - d, len(piece))), cfg.delimiter)
    return cfg.filler * (cfg.max_length + 1) + cfg.delimiter  # over_max


def _banana(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    type_at = next(i for i, b in enumerate(piece) if b >= 0x80)
    if kind == "type_byte":
        return piece[:type_at] + bytes([draw(st.integers(banana.VOCAB + 1, 0xFF))]) + piece[type_at + 1 :]
    if kind == "prefix_digit":
        if type_at == 0:
            return bytes([draw(st.integers(0, 0x7F))]) + piece
        return _replace_one(draw, piece, list(range(type_at)), b"")
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
    header = bytearray()
    banana._b128(banana.SIZE_LIMIT + 1, header)  # the codec's own base-128 prefix writer
    return bytes(header) + bytes([draw(st.sampled_from([banana.STRING, banana.LIST]))])  # over_max


#: protocol -> corruption -> what it does.
CORRUPTIONS = {
    "netstring": {
        "length_digit": "a digit of the length replaced by another byte",
        "leading_zero": "a zero put before the length",
        "sign": "a sign or space put before the length",
        "colon": "the ':' replaced by another byte",
        "terminator": "the ',' replaced by another byte",
        "over_max": "a frame of max_length + 1 bytes",
    },
    "int": {
        "prefix_byte": "one byte of the length prefix changed",
        "over_max": "a frame of max_length + 1 bytes (when the prefix can say so)",
    },
    "line": {
        "delimiter": "one byte of a delimiter changed",
        "over_max": "a line of max_length + 1 bytes",
    },
    "banana": {
        "type_byte": "a type byte replaced by an unknown one (0x88-0xff)",
        "prefix_digit": "a prefix digit changed (or one added)",
        "leading_zero": "a non-minimal prefix (a zero most significant digit)",
        "sign": "INT and NEG (LONGINT and LONGNEG) swapped, or a STRING/LIST made NEG",
        "prefix_too_long": "65 bytes of prefix",
        "vocab": "a VOCAB id with no word (or any VOCAB outside pb)",
        "over_max": "a STRING or LIST longer than the size limit",
    },
}

_CORRUPT = {"netstring": _netstring, "line": _line, "banana": _banana}


def corruptions_for(cfg: Config) -> list[str]:
    if cfg.protocol in intprefix.WIDTHS:
        kinds = ["prefix_byte"]
        if cfg.max_length + 1 < 256 ** intprefix.WIDTHS[cfg.protocol]:
            kinds.append("over_max")
        return kinds
    return list(CORRUPTIONS[cfg.protocol])


def hostile_streams(protocol: str, params: dict | None = None, kinds: list[str] | None = None):
    """A valid stream with one corruption in it, and the outcome the oracle predicts."""
    params = dict(params or {})
    cfg = config(protocol, params)
    allowed = corruptions_for(cfg)
    kind_s = st.sampled_from([k for k in allowed if kinds is None or k in kinds] or allowed)
    one = frames(protocol, params)
    before_s, after_s = st.lists(one, max_size=3), st.lists(one, min_size=1, max_size=3)
    corrupt = _intprefix if protocol in intprefix.WIDTHS else _CORRUPT[protocol]

    @st.composite
    def build(draw) -> Hostile:
        kind = draw(kind_s)
        before, victim, after = draw(before_s), draw(one), draw(after_s)
        bad = corrupt(draw, kind, victim.data, cfg)
        pieces = [f.data for f in before] + [bad] + [f.data for f in after]
        data = b"".join(pieces)
        expected, alternatives = predict(protocol, params, data)
        at = sum(len(f.data) for f in before)
        return Hostile(data, kind, at, [f.value for f in before], marks_of(cfg, pieces), expected, alternatives)

    return build()


def garbage_streams(protocol: str, params: dict | None = None):
    """Valid frames and arbitrary bytes mixed: (data, marks).  Anything at all may come of it."""
    cfg = config(protocol, params)
    part = st.one_of(
        frames(protocol, params).map(_data_of),
        _bytes_with_interesting(12, cfg.delimiter or b""),
        st.binary(max_size=12),
    )
    return st.lists(part, max_size=6).map(_joined_with_ends)


def _data_of(frame) -> bytes:
    return frame.data


def _joined_with_ends(pieces: list) -> tuple[bytes, tuple]:
    ends, pos = [], 0
    for piece in pieces:
        pos += len(piece)
        ends.append(pos)
    return b"".join(pieces), tuple(ends)
