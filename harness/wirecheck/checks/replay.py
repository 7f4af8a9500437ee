"""Replaying one stream: the ``--chunks`` syntax, the command line a failure prints, its vector.

``61*16384+0d,0a`` is two reads: the byte 0x61 16384 times, then 0d 0a in a second
read.  Runs of one byte are written ``BYTE*COUNT`` so that a max-length case fits on
one line, and pieces are joined with ``+``.
"""

from __future__ import annotations

import shlex

from wirecheck import protocols

from .case import case_of
from .definitions import PROPERTIES

#: Runs of one byte at least this long are written BYTE*COUNT.
RUN_AT_LEAST = 8
#: Replayed streams may be at most this long.
REPLAY_LIMIT = 64 << 20


def compact_hex(data: bytes) -> str:
    """Hex with long runs of one byte written ``61*16384``; tokens joined by '+'."""
    out, i, literal = [], 0, bytearray()
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i]:
            j += 1
        if j - i >= RUN_AT_LEAST:
            if literal:
                out.append(literal.hex())
                literal = bytearray()
            out.append(f"{data[i]:02x}*{j - i}")
        else:
            literal += data[i:j]
        i = j
    if literal or not out:
        out.append(literal.hex())
    return "+".join(out)


def parse_compact_hex(text: str, limit: int = REPLAY_LIMIT) -> bytes:
    """The inverse of compact_hex; ValueError on anything malformed."""
    out = bytearray()
    for token in text.split("+"):
        token = token.strip()
        if "*" in token:
            byte, _, count = token.partition("*")
            if len(byte) != 2 or not count.isdigit():
                raise ValueError(f"{token!r}: a run is two hex digits, '*' and a count, e.g. 61*100")
            n = int(count)
            if len(out) + n > limit:
                raise ValueError(f"more than {limit} bytes")
            out += bytes.fromhex(byte) * n
        else:
            if len(out) + len(token) // 2 > limit:
                raise ValueError(f"more than {limit} bytes")
            out += bytes.fromhex(token)
    return bytes(out)


def replay_command(protocol: str, params: dict, chunks: list[bytes], target: str = "") -> str:
    """The one command line that runs these reads again."""
    words = ["wirecheck", "replay", "--protocol", protocol]
    words += protocols.command_words(protocols.get(protocol), params)
    words += ["--chunks", ",".join(compact_hex(c) for c in chunks) or '""']
    if target:
        words += ["--target", target]
    return " ".join(shlex.quote(w) if w != '""' else w for w in words)


def replay_case(protocol: str, params: dict | None, chunks: list[bytes]):
    """The vector ``wirecheck replay`` runs: these reads, with the oracle's expectation."""
    spec = protocols.get(protocol)
    case = case_of(protocol, protocols.complete(spec, params), list(chunks))
    return PROPERTIES["differential"].vector(case, "replay")
