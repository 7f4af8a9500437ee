"""Text from endpoints and spawned commands made safe to show: control characters escaped.

An endpoint's bytes reach messages (a dialect name it offered, a server's output, an echo
in a failure's detail).  Written raw, an ESC or BEL would drive the user's terminal; in
an XML attribute it would make the file unparsable.  The command line writes all its
output through ``EscapingWriter``, so no message can carry one through unescaped.
Only the standard library is imported here.
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi overrides that
#: reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class EscapingWriter:
    """A text stream that escapes control characters on their way to ``stream``.

    ``unescaped`` is the stream itself, for the one writer that means its control
    characters (the progress bar's carriage return on a terminal)."""

    def __init__(self, stream) -> None:
        self.unescaped = stream

    def write(self, text: str) -> int:
        return self.unescaped.write(printable(text))

    def __getattr__(self, name: str):
        return getattr(self.unescaped, name)
