"""Other readings of a line stream: what a lenient or text-minded line decoder makes of it.

Two line behaviours are easy to mistake for others: a decoder that also ends lines at a bare LF
or CR (an over-long line becomes two short ones, more lines come back than were sent), and one
that reads lines as text and leaves U+FFFD for bytes that are not UTF-8 (every frame changes
length).  The classifier asks these functions whether what a target did is such a reading
before it looks for anything else; they work on bytes and hex and know no protocol.
"""

from __future__ import annotations

import re

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
    if any(got == view[: len(got)] for view in (strict, as_text_lines(strict))):
        return False
    for line_end in LENIENT_LINE_ENDS:
        lines = line_end.split(data)
        for view in (lines, as_text_lines(lines)):
            if got == view[: len(got)] and (len(got) < len(view) or lines[-1]):
                return True
    return False


def as_text(expected: list[str], got: list[str]) -> list[str] | None:
    """The ``expected`` frames (hex) as a text decoder gives them, when ``got`` shows U+FFFD and
    that reading changes something; else None."""
    if not any(UFFFD in bytes.fromhex(f) for f in got):
        return None
    replaced = [line.hex() for line in as_text_lines([bytes.fromhex(f) for f in expected])]
    return None if replaced == expected else replaced


def as_text_lines(lines: list[bytes]) -> list[bytes]:
    """Each line decoded as UTF-8 with U+FFFD for what is not, and encoded again."""
    return [line.decode("utf-8", "replace").encode() for line in lines]
