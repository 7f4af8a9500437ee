"""Vector templates: a vector whose bytes, frames, offsets and cuts are built from the configuration.

A template's ``input`` (and each of its byte ``frames``) is a list of pieces, concatenated:

    {"hex": "3a2c"}                          these bytes
    {"param": "delimiter"}                   the bytes parameter's value
    {"param": "delimiter", "take": EXPR}     its first EXPR bytes
    {"repeat": "0123", "count": EXPR}        the bytes repeated, cut to exactly EXPR bytes
    {"decimal": EXPR}                        EXPR's decimal digits in ASCII (a netstring length)
    {"uint": EXPR, "size": N}                EXPR as an N-byte big-endian unsigned integer
    {"varint": EXPR}                         EXPR as an unsigned LEB128 varint

``outcome.offset`` may be an expression, and ``cuts`` (expressions, increasing offsets into
the input) replace ``chunks``.  Expressions are those of ``wirecheck.vectors.expr``.  The
size of every piece is known before any byte is made, so an instance too large to send is
refused (``TooLarge``) without being built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .expr import ExprError, evaluate

PIECE_KEYS = {"hex": (), "param": ("take",), "repeat": ("count",), "decimal": (), "uint": ("size",), "varint": ()}


_REQUIRED = {"repeat": {"count"}, "uint": {"size"}}


class TooLarge(Exception):
    """An instance would be larger than the limit it is built under."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"would send {size} bytes (more than {limit})")
        self.size = size


def leb128(value: int) -> bytes:
    """``value`` as an unsigned LEB128 varint.  Written here, not taken from the varint codec:
    vectors are built independently of the reference they check (the vector sources use it too)."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _kind(piece: Mapping) -> str:
    kinds = [k for k in PIECE_KEYS if k in piece]
    if len(kinds) != 1 or set(piece) - {kinds[0], *PIECE_KEYS[kinds[0]]} or not set(piece) >= _REQUIRED.get(kinds[0], set()):
        raise ExprError(f"not a template piece: {sorted(piece)}")
    return kinds[0]


def _plan(piece: Mapping, config: Mapping[str, Any]) -> tuple[str, Any, int]:
    """(kind, what to build from, size in bytes) for one piece."""
    kind = _kind(piece)
    if kind == "hex":
        data = bytes.fromhex(piece["hex"])
        return kind, data, len(data)
    if kind == "param":
        value = config.get(piece["param"])
        if not isinstance(value, str):
            raise ExprError(f"piece param: {piece['param']!r} is not a bytes parameter here")
        data = bytes.fromhex(value)
        if "take" in piece:
            take = evaluate(piece["take"], config)
            if not 0 <= take <= len(data):
                raise ExprError(f"piece param: cannot take {take} of {len(data)} bytes")
            data = data[:take]
        return kind, data, len(data)
    if kind == "repeat":
        unit, count = bytes.fromhex(piece["repeat"]), evaluate(piece["count"], config)
        if not unit or count < 0:
            raise ExprError(f"piece repeat: {count} copies of {piece['repeat']!r}")
        return kind, unit, count
    value = evaluate(piece[kind], config)
    if value < 0:
        raise ExprError(f"piece {kind}: negative value {value}")
    if kind == "decimal":
        text = str(value).encode()
        return kind, text, len(text)
    if kind == "uint":
        size = piece["size"]
        if not isinstance(size, int) or not 1 <= size <= 8 or value >= 1 << (8 * size):
            raise ExprError(f"piece uint: {value} does not fit {size} bytes")
        return kind, value.to_bytes(size, "big"), size
    data = leb128(value)
    return kind, data, len(data)


def size(pieces: list, config: Mapping[str, Any]) -> int:
    """How many bytes ``pieces`` make in ``config``, without making them."""
    if not isinstance(pieces, list):
        raise ExprError("a template's bytes are a list of pieces")
    return sum(_plan(piece, config)[2] for piece in pieces)


def build(pieces: list, config: Mapping[str, Any], limit: int) -> bytes:
    """The bytes ``pieces`` make in ``config``; TooLarge past ``limit`` bytes (nothing built)."""
    if not isinstance(pieces, list):
        raise ExprError("a template's bytes are a list of pieces")
    plans = [_plan(piece, config) for piece in pieces]
    size = sum(p[2] for p in plans)
    if size > limit:
        raise TooLarge(size, limit)
    out = bytearray()
    for kind, data, length in plans:
        if kind == "repeat":
            whole, rest = divmod(length, len(data))
            out += data * whole + data[:rest]
        else:
            out += data
    return bytes(out)


def _frame(frame: Any, config: Mapping[str, Any], limit: int) -> Any:
    return build(frame, config, limit).hex() if isinstance(frame, list) else frame


def _expectation(obj: Mapping, config: Mapping[str, Any], limit: int) -> dict:
    """Frames and outcome (and dialect, reply) of a template's expectation, made concrete."""
    out = {k: obj[k] for k in ("dialect", "reply") if k in obj}
    out["frames"] = [_frame(f, config, limit) for f in obj["frames"]]
    outcome = dict(obj["outcome"])
    if "offset" in outcome:
        outcome["offset"] = evaluate(outcome["offset"], config)
    out["outcome"] = outcome
    return out


def _cuts(raw: Mapping, config: Mapping[str, Any], total: int) -> list[int]:
    """The template's cuts at ``config``: increasing offsets strictly inside ``total`` bytes."""
    cuts = [evaluate(c, config) for c in raw.get("cuts", ())]
    if any(not 0 < c < total for c in cuts) or cuts != sorted(set(cuts)):
        raise ExprError(f"cuts {cuts} are not increasing offsets inside {total} bytes")
    return cuts


def check(raw: Mapping, config: Mapping[str, Any], limit: int) -> int:
    """Every expression of a template evaluated at ``config`` and every size checked, no byte
    made: what ``instantiate`` would raise, it raises.  The input's size."""
    total = size(raw["input"], config)
    if total > limit:
        raise TooLarge(total, limit)
    _cuts(raw, config, total)
    for expectation in (raw, *raw.get("alternatives", ())):
        for frame in expectation["frames"]:
            if isinstance(frame, list) and size(frame, config) > limit:
                raise TooLarge(size(frame, config), limit)
        if "offset" in expectation["outcome"]:
            evaluate(expectation["outcome"]["offset"], config)
    return total


def instantiate(raw: Mapping, config: Mapping[str, Any], ident: str, limit: int) -> dict:
    """A template's concrete vector (the JSON of a concrete vector) for ``config``."""
    data = build(raw["input"], config, limit)
    out = {k: v for k, v in raw.items() if k not in ("input", "cuts", "frames", "outcome", "alternatives", "requires")}
    out["id"] = ident
    out["input"] = data.hex()
    if "cuts" in raw:
        bounds = [0, *_cuts(raw, config, len(data)), len(data)]
        out["chunks"] = [data[a:b].hex() for a, b in zip(bounds, bounds[1:])]
    out.update(_expectation(raw, config, limit))
    if "alternatives" in raw:
        out["alternatives"] = [_expectation(a, config, limit) for a in raw["alternatives"]]
    return out


def is_template(raw: Mapping) -> bool:
    return isinstance(raw.get("input"), list)
