"""Banana's elements on the wire: type bytes, limits, the pb vocabulary, and the canonical encoder.

Shared by the decoder (``banana``) and everything that writes Banana.  See ``banana`` for
the protocol and for how Twisted and the 2008 specification differ.
"""

from __future__ import annotations

import struct

from .events import EncodeError

LIST, INT, STRING, NEG, FLOAT, LONGINT, LONGNEG, VOCAB = range(0x80, 0x88)

SIZE_LIMIT = 640 * 1024  # strings and list counts, checked at the type byte
PREFIX_LIMIT = 64  # bytes of base-128 prefix
INT_MAX = 2**31 - 1
NEG_MAX = 2**31  # largest magnitude NEG may carry
DIALECTS = (b"pb", b"none")  # what Twisted offers, in its order

#: The pb dialect's vocabulary: id -> word (the specification's table).
VOCABULARY = {
    i: w
    for i, w in enumerate(
        b"None class dereference reference dictionary function instance list module "
        b"persistent tuple unpersistable copy cache cached remote local lcache version "
        b"login password challenge logged_in not_logged_in cachemessage message answer "
        b"error decref decache uncache".split(),
        start=1,
    )
}
WORD_IDS = {w: i for i, w in VOCABULARY.items()}

_pack_double = struct.Struct("!d").pack


def _b128(value: int, out: bytearray) -> None:
    if value == 0:
        out.append(0)
        return
    while value:
        out.append(value & 0x7F)
        value >>= 7


def encode(
    value,
    dialect: bytes | None = b"none",
    prefix_limit: int = PREFIX_LIMIT,
    size_limit: int = SIZE_LIMIT,
) -> bytes:
    """Encode one expression canonically, as Twisted does.

    Ints: INT for 0..2**31-1, NEG for -2**31..-1, LONGINT/LONGNEG beyond, up to what
    ``prefix_limit`` digits can carry.  In the pb dialect, words in the vocabulary
    are sent as VOCAB.  Lists and tuples are encoded without recursion.
    """
    largest = 2 ** (7 * prefix_limit) - 1
    out = bytearray()
    stack = [iter((value,))]
    while stack:
        try:
            item = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(item, (list, tuple)):
            if len(item) > size_limit:
                raise EncodeError(f"list of {len(item)} elements exceeds size_limit {size_limit}")
            _b128(len(item), out)
            out.append(LIST)
            stack.append(iter(item))
        elif isinstance(item, bool):
            raise EncodeError("Banana has no boolean type")
        elif isinstance(item, int):
            if abs(item) > largest:
                raise EncodeError(f"int {item} needs more than {prefix_limit} prefix bytes")
            if item < -NEG_MAX:
                _b128(-item, out)
                out.append(LONGNEG)
            elif item < 0:
                _b128(-item, out)
                out.append(NEG)
            elif item <= INT_MAX:
                _b128(item, out)
                out.append(INT)
            else:
                _b128(item, out)
                out.append(LONGINT)
        elif isinstance(item, float):
            out.append(FLOAT)
            out += _pack_double(item)
        elif isinstance(item, (bytes, bytearray)):
            item = bytes(item)
            if dialect == b"pb" and item in WORD_IDS:
                _b128(WORD_IDS[item], out)
                out.append(VOCAB)
            else:
                if len(item) > size_limit:
                    raise EncodeError(f"string of {len(item)} bytes exceeds size_limit {size_limit}")
                _b128(len(item), out)
                out.append(STRING)
                out += item
        else:
            raise EncodeError(f"Banana cannot encode {type(item).__name__}")
    return bytes(out)
