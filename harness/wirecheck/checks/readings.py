"""Other readings of a line stream: what a lenient or text-minded line decoder makes of it.

Two line behaviours are easy to mistake for others: a decoder that also ends lines at a bare LF
or CR (an over-long line becomes two short ones, more lines come back than were sent), and one
that reads lines as text and leaves U+FFFD for bytes that are not UTF-8 (every frame changes
length; a streaming text decoder even holds a line's last partial character back and hands it to
the next line, or emits it alone at the end).  Several often come together (a text decoder that
drops empty lines and delivers the tail at the end), so ``deviant_reading`` searches the few
combinations of these habits for one that gives exactly what the target gave, and names its
parts.  The classifier asks these functions before it looks for anything else; they work on bytes
and hex and know no protocol.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import product

from wirecheck.codecs.varint import encode_varint

#: U+FFFD REPLACEMENT CHARACTER in UTF-8: what a decoder that treats lines as text leaves for a bad byte.
UFFFD = b"\xef\xbf\xbd"
#: Line ends a lenient decoder may honour besides the configured delimiter.
LENIENT_LINE_ENDS = (re.compile(rb"\r\n|\n"), re.compile(rb"\r\n|\r|\n"), re.compile(rb"\r\n|\r"))


def lines_ended_elsewhere(data: bytes, delimiter: bytes, got: list[bytes]) -> bool:
    """Are ``got`` the first lines of ``data`` as a decoder reads them that also ends lines at a
    bare LF or CR (or CRLF in LF mode), perhaps with the unterminated tail at the end, perhaps as
    text?  Lines that all end at ``delimiter`` are never such a reading: that is another story
    (a maximum, a tail delivered at the end)."""
    strict = data.split(delimiter)  # the complete lines, then the unterminated tail
    if any(got == view[: len(got)] for view in _with_text(strict)):
        return False
    for line_end in LENIENT_LINE_ENDS:
        lines = line_end.split(data)
        for view in _with_text(lines):
            if got == view[: len(got)] and (len(got) < len(view) or lines[-1]):
                return True
    return False


def as_text(expected: list[str], got: list[str]) -> list[str] | None:
    """The ``expected`` frames (hex) as a text decoder gives them, when ``got`` shows U+FFFD and
    one such reading agrees with ``got`` further than the bytes do; else None.  A target that
    echoes one frame's bad byte unchanged is not reading text, whatever U+FFFD it echoes
    elsewhere (a frame that really holds ``ef bf bd``)."""
    if not any(UFFFD in bytes.fromhex(f) for f in got):
        return None
    raw = [bytes.fromhex(f) for f in expected]
    seen = [bytes.fromhex(f) for f in got]
    best, agree = None, common_prefix(raw, seen)
    for view in TEXT_VIEWS.values():
        lines = view(raw)
        if lines != raw and common_prefix(lines, seen) > agree:
            best, agree = lines, common_prefix(lines, seen)
    return None if best is None else [line.hex() for line in best]


def as_text_lines(lines: list[bytes]) -> list[bytes]:
    """Each line decoded as UTF-8 with U+FFFD for what is not, and encoded again."""
    return [line.decode("utf-8", "replace").encode() for line in lines]


def _streamed(lines: list[bytes], flush: bool) -> list[bytes]:
    """The lines through one streaming UTF-8 decoder (a stream's text mode, as Node's
    StringDecoder): a line ending in what could begin a character is held back and decoded with
    the next line; ``flush``: what is held at the end comes out as a line of its own."""
    out, held = [], b""
    for line in lines:
        data = held + line
        keep = _incomplete_tail(data)
        held = data[len(data) - keep :] if keep else b""
        out.append(data[: len(data) - keep].decode("utf-8", "replace").encode())
    return [*out, held.decode("utf-8", "replace").encode()] if flush and held else out


def _incomplete_tail(data: bytes) -> int:
    """How many bytes at the end of ``data`` are a lead byte with fewer continuation bytes than
    it announces (judged by the lead byte alone, as a streaming decoder must)."""
    for back in range(1, min(3, len(data)) + 1):
        byte = data[-back]
        if byte >> 6 == 0b10:  # a continuation byte: look further back for its lead
            continue
        need = 2 if byte >> 5 == 0b110 else 3 if byte >> 4 == 0b1110 else 4 if byte >> 3 == 0b11110 else 0
        return back if need > back else 0
    return 0


#: How a text-minded decoder may turn lines into text, by name.
TEXT_VIEWS: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "per-line": as_text_lines,
    "streamed": lambda lines: _streamed(lines, False),
    "streamed-flushed": lambda lines: _streamed(lines, True),
}

#: Streams longer than this are not read the deviant ways (each reading is a pass over it).
DEVIANT_UP_TO = 1 << 16


def deviant_reading(data: bytes, delimiter: bytes, tail_expected: bool, got: list[bytes]) -> list[str] | None:
    """The behaviours of the simplest lenient line decoder that turns ``data`` into exactly
    ``got`` (ignoring any maximum), or None when none does or ``got`` is what a strict one gives.
    The habits tried, alone and together: other line ends, text with U+FFFD, empty lines
    dropped, the unterminated tail delivered at the end (``tail_expected``: the reference has
    such a tail, the stream ended inside a line)."""
    if len(data) > DEVIANT_UP_TO:
        return None
    ends = (None, *(e for e in LENIENT_LINE_ENDS if e.fullmatch(delimiter)))  # lenient: the delimiter ends lines too
    texts = (None, *TEXT_VIEWS.values())
    found: list[list[str]] = []
    for line_end, text, drop_empty, tail in product(ends, texts, (False, True), (False, True)):
        if tail and not tail_expected:
            continue
        lines = line_end.split(data) if line_end else data.split(delimiter)
        lines = lines if tail else lines[:-1]
        lines = text(lines) if text else lines
        lines = [line for line in lines if line] if drop_empty else lines
        if lines == got:
            habits = (("delimiter-lenient", line_end), ("partial-delivered-at-eof", tail),
                      ("not-bytes-clean", text), ("empty-frame-dropped", drop_empty))  # fmt: skip
            found.append([name for name, on in habits if on])
    if not found or [] in found:  # a strict decoder gives these lines: the failure lies elsewhere
        return None
    return min(found, key=len)


def _with_text(lines: list[bytes]) -> list[list[bytes]]:
    return [lines, *(view(lines) for view in TEXT_VIEWS.values())]


def common_prefix(a: list, b: list) -> int:
    """How many leading items ``a`` and ``b`` share."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def minimal_header_reading(data: bytes, max_length: int) -> tuple[list[bytes], bool] | None:
    """The frames of a varint-prefixed ``data`` as a decoder reads them that takes a header to be
    as long as the minimal encoding of its value (it re-derives the header's size from the value
    instead of counting the bytes it read): an overlong varint's extra bytes become payload.
    Returns the frames and whether that decoder is left waiting for more, or None when ``data``
    has no overlong varint (the reading is then the ordinary one)."""
    frames, at, overlong = [], 0, False
    while at < len(data):
        value, end, shift = 0, at, 0
        while end < len(data) and end - at < 10:
            value |= (data[end] & 0x7F) << shift
            shift += 7
            end += 1
            if not data[end - 1] & 0x80:
                break
        else:
            return (frames, True) if overlong else None
        minimal = len(encode_varint(value))
        overlong = overlong or end - at > minimal
        if value > max_length:
            break
        start = at + minimal
        if start + value > len(data):
            return (frames, True) if overlong else None
        frames.append(data[start : start + value])
        at = start + value
    return (frames, False) if overlong else None
