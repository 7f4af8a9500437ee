"""Runs of Banana integers decoded in bulk: the fast path of ``BananaDecoder.feed``.

A Banana list of integers is the shape that costs a byte-at-a-time state machine the most
(ten bytes an element, every one a trip round the loop).  Between two elements that are
not integers (a LIST, STRING, FLOAT or VOCAB type byte, or an unknown one) every byte is a
prefix digit or an integer's type byte, so the run can be cut apart by the C string methods:
``translate`` deletes the digits to leave the type bytes in order, and turns the type bytes
into separators to leave the digit strings.  Each digit string is then read in base 128
with ``int.from_bytes`` and a few mask-and-shift steps instead of a loop per digit, each distinct
string once when values repeat.

Anything the decoder would have to refuse (a prefix over the limit, and in strict mode an
empty or non-minimal prefix or an INT out of range) makes ``scan`` decline the run: the
byte loop then reports the error at its exact offset.  The result is the same as the byte
loop's for every input: ``tests/test_banana.py`` and the fuzzers compare the two.
"""

from __future__ import annotations

import re

from .banana_elements import INT, INT_MAX, LONGNEG, NEG, NEG_MAX

#: The type bytes that end a run: anything but INT, NEG, LONGINT and LONGNEG.
_RUN_END = re.compile(rb"[\x80\x82\x84\x87-\xff]")
_DIGITS = bytes(range(0x80))
_TYPES_TO_SEPARATOR = bytes(range(0x80)) + b"\xff" * 0x80
_NEGATIVE = (NEG, LONGNEG)
_NEG_BYTE, _LONGNEG_BYTE = bytes([NEG]), bytes([LONGNEG])
#: A run shorter than this is left to the byte loop: the bulk path's setup costs more.
MIN_RUN = 8

# Gathering 7-bit digits: at each level, pairs of groups move together (the high group of
# each pair shifted down over the gap its neighbour's unused top bits left).
_LEVELS = []
for _level in range(4):  # up to 16 digits (112 bits); longer prefixes take the loop
    _group, _bits = 8 << _level, 7 << _level
    _low = sum(((1 << _bits) - 1) << (2 * _group * k) for k in range(8 >> _level))
    _LEVELS.append((_low, _low << _group, _group - _bits))


def base128(digits: bytes) -> int:
    """The value of base-128 digits, least significant first (each below 0x80)."""
    n = len(digits)
    if n <= 1:
        return digits[0] if n else 0
    if n > 16:
        value = 0
        for digit in reversed(digits):
            value = value << 7 | digit
        return value
    x = int.from_bytes(digits, "little")
    for low, high, gap in _LEVELS[: (n - 1).bit_length()]:
        x = (x & low) | ((x & high) >> gap)
    return x


def scan(data: bytes, start: int, prefix_limit: int, strict: bool) -> tuple[list[int] | None, int]:
    """(the integers of the run at ``data[start:]``, where its last element ends), or (None, where the
    run ends) when it is not worth taking or the byte loop must judge it: the caller leaves the whole
    run to the byte loop then, so that no byte is scanned here twice (asking again at each element
    of a declined run would cost the run's length each time)."""
    found = _RUN_END.search(data, start)
    end = found.start() if found else len(data)
    region = data[start:end]
    types = region.translate(None, _DIGITS)
    if len(types) < MIN_RUN:
        return None, end
    digits = region.translate(_TYPES_TO_SEPARATOR).split(b"\xff")
    tail = digits.pop()  # the digits of the element the run's end belongs to
    longest = max(map(len, digits))
    if longest > prefix_limit:
        return None, end
    if strict and (min(map(len, digits)) == 0 or any(len(d) > 1 and d[-1] == 0 for d in digits)):
        return None, end
    distinct = set(digits)
    if len(distinct) * 2 <= len(digits):  # repeated values (common: small ints, ids) are read once
        values = list(map({d: base128(d) for d in distinct}.__getitem__, digits))
    else:
        values = list(map(base128, digits))
    if strict and any((t == INT and v > INT_MAX) or (t == NEG and v > NEG_MAX)
                      for t, v in zip(types, values, strict=True)):  # fmt: skip
        return None, end
    if _NEG_BYTE in types or _LONGNEG_BYTE in types:
        values = [-v if t in _NEGATIVE else v for t, v in zip(types, values, strict=True)]
    return values, start + len(region) - len(tail)
