"""Delimited lines, with LineReceiver-style switching to raw mode and back.

``max_length`` excludes the delimiter.  An unterminated buffer is rejected once it
is certainly too long: ``max_length + len(delimiter)`` bytes with no delimiter in
them can no longer end a legal line.  That rule, and never rejecting before it,
makes the outcome independent of how the stream was split (Twisted's
LineOnlyReceiver rejects a legal max-length line when its CR and LF arrive in
different reads).

The decoder is pull-based like h11: ``receive_data`` appends bytes, ``next_event``
returns one event at a time, so a caller can switch mode between two lines of the
same chunk.  The search for the delimiter resumes where it stopped, and consumed
bytes are dropped from the buffer in one step when it runs dry, so cost stays
linear whatever the chunking.
"""

from __future__ import annotations

from .events import EncodeError, ProtocolError, RawData
from .spec import Param, ProtocolSpec

DEFAULT_DELIMITER = b"\r\n"
#: Names for common delimiters on the command line (anything else is ``hex:...``).
DELIMITER_NAMES = {"crlf": b"\r\n", "lf": b"\n", "cr": b"\r", "nul": b"\x00"}
DEFAULT_MAX_LENGTH = 16384

REASONS = {
    "line_too_long": "max_length + len(delimiter) bytes arrived with no delimiter among them",
}


def encode(line: bytes, delimiter: bytes = DEFAULT_DELIMITER, max_length: int | None = None) -> bytes:
    """Return ``line`` with its delimiter; refuse a line that could not be decoded back."""
    if not isinstance(line, (bytes, bytearray, memoryview)):
        raise EncodeError(f"line must be bytes, not {type(line).__name__}")
    line = bytes(line)
    if delimiter in line or (line + delimiter).find(delimiter) != len(line):
        raise EncodeError("line contains (part of) the delimiter and would not decode back")
    if max_length is not None and len(line) > max_length:
        raise EncodeError(f"line of {len(line)} bytes exceeds max_length {max_length}")
    return line + delimiter


class LineDecoder:
    """Incremental line decoder with raw mode."""

    def __init__(self, delimiter: bytes = DEFAULT_DELIMITER, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        if not delimiter:
            raise ValueError("delimiter must not be empty")
        if max_length < 0:
            raise ValueError("max_length must be >= 0")
        self.delimiter = bytes(delimiter)
        self.max_length = max_length
        self._last_byte = self.delimiter[-1:]
        self._limit = max_length + len(self.delimiter)
        self.line_mode = True
        self._buf = bytearray()
        self._start = 0  # first unconsumed byte in _buf
        self._search = 0  # no delimiter begins in _buf[_start:_search]
        self._base = 0  # stream offset of _buf[0]
        self.error: ProtocolError | None = None

    @property
    def in_frame(self) -> bool:
        return self.line_mode and self.error is None and len(self._buf) > self._start

    @property
    def buffered(self) -> int:
        return len(self._buf) - self._start

    def set_raw_mode(self) -> None:
        """Deliver every later byte, buffered ones first, as RawData."""
        self.line_mode = False

    def set_line_mode(self, extra: bytes = b"") -> None:
        """Go back to lines; ``extra`` is parsed before anything still buffered."""
        self.line_mode = True
        self._compact()
        if extra:
            self._buf[0:0] = extra
        self._search = 0

    def receive_data(self, data: bytes) -> None:
        if self.error is None and data:
            if self._start and self._start == len(self._buf):
                self._compact()
            self._buf += data

    def _compact(self) -> None:
        if self._start:
            del self._buf[: self._start]
            self._base += self._start
            self._search = max(0, self._search - self._start)
            self._start = 0

    def next_event(self):
        """Return the next line (bytes), RawData or ProtocolError; None when more data is needed."""
        if self.error is not None:
            return None
        buf = self._buf
        start = self._start
        if not self.line_mode:
            if start == len(buf):
                return None
            data = bytes(buf[start:])
            self._base += len(buf)
            buf.clear()
            self._start = self._search = 0
            return RawData(data)
        delimiter = self.delimiter
        dlen = len(delimiter)
        # A legal line's delimiter ends no later than start + max_length + dlen.
        limit = start + self.max_length + dlen
        end = len(buf)
        found = buf.find(delimiter, max(self._search, start), min(end, limit))
        if found >= 0:
            line = bytes(buf[start:found])
            self._start = self._search = found + dlen
            return line
        if end >= limit:
            offset = self._base + limit - 1
            self.error = ProtocolError("line_too_long", offset, f"no delimiter within max_length {self.max_length}")
            buf.clear()
            self._start = self._search = 0
            return self.error
        self._search = max(start, end - dlen + 1)
        self._compact()
        return None

    def feed(self, data: bytes) -> list:
        """Consume ``data`` and return every event it completes.

        Once one line has been found, the rest of the buffer is split in a single
        C-level ``bytes.split`` (equivalent to repeated leftmost searches), so a chunk
        holding many lines costs one pass, not one Python round trip per line.
        """
        if self.line_mode and self.error is None and self._last_byte not in data:
            # No delimiter can end in this read: keep it, and say nothing unless the line is
            # now certainly too long.  The next search still starts at _search, so skipped
            # bytes are searched once, later.
            self._buf += data
            if len(self._buf) - self._start < self._limit:
                return []
        else:
            self.receive_data(data)
        events: list = []
        event = self.next_event()
        while event is not None:
            events.append(event)
            if isinstance(event, ProtocolError):
                break
            if not isinstance(event, RawData) and self._start < len(self._buf):
                if self._split_rest(events):
                    break
            event = self.next_event()
        return events

    def _split_rest(self, events: list) -> bool:
        """Deliver every complete line left in the buffer; True if one was too long."""
        buf, start = self._buf, self._start
        delimiter, dlen, max_length = self.delimiter, len(self.delimiter), self.max_length
        parts = bytes(memoryview(buf)[start:]).split(delimiter)
        rest = parts.pop()
        if parts and max(map(len, parts)) <= max_length:
            events.extend(parts)
            start += sum(map(len, parts)) + dlen * len(parts)
        else:
            for part in parts:
                if len(part) > max_length:
                    # Leave the long line to next_event, which reports it at the right offset.
                    self._start = self._search = start
                    return False
                events.append(part)
                start += len(part) + dlen
        self._start = start
        if len(rest) >= max_length + dlen:
            self.error = ProtocolError(
                "line_too_long",
                self._base + start + max_length + dlen - 1,
                f"no delimiter within max_length {max_length}",
            )
            events.append(self.error)
            buf.clear()
            self._start = self._search = 0
            return True
        self._search = max(start, len(buf) - dlen + 1)
        self._compact()
        return False


def earliest_too_long(delimiter: bytes, max_length: int, tail: bytes) -> int | None:
    """The first index in an unterminated ``tail`` at which it certainly cannot end a legal line.

    The decoder waits for ``max_length + len(delimiter)`` bytes (the count rule, the same for
    every chunking); a receiver that looks at the bytes may know sooner, when no suffix of what
    it holds beyond ``max_length`` can still start the delimiter.  Closing there is allowed too.
    """
    for k in range(max_length + 1, len(tail) + 1):
        head = tail[:k]
        if not any(delimiter.startswith(head[p:]) for p in range(max(0, k - len(delimiter) + 1), max_length + 1)):
            return k - 1
    return None


def _early_close(config, data: bytes) -> tuple[str, int] | None:
    decoder = LineDecoder(bytes.fromhex(config["delimiter"]), config["max_length"])
    decoder.feed(data)
    pending = decoder.buffered
    if decoder.error is not None or not pending:
        return None
    at = earliest_too_long(decoder.delimiter, decoder.max_length, data[len(data) - pending :])
    return None if at is None else ("line_too_long", len(data) - pending + at)


def _cut_points(config, frame: bytes) -> range:
    d = len(config["delimiter"]) // 2
    return range(len(frame) - d, len(frame))  # before each byte of the delimiter


PROTOCOLS = (
    ProtocolSpec(
        name="line",
        family="lines",
        order=30,
        summary="lines ended by a delimiter (CRLF by default), as Twisted's LineReceiver",
        params=(
            Param("max_length", "int", DEFAULT_MAX_LENGTH, "the longest line accepted, delimiter excluded", minimum=0),
            Param(
                "delimiter", "bytes", DEFAULT_DELIMITER.hex(), "what ends a line", minimum=1, aliases=DELIMITER_NAMES
            ),
        ),
        decoder=lambda config: LineDecoder(bytes.fromhex(config["delimiter"]), config["max_length"]),
        encoder=lambda config, dialect: lambda line: encode(line, bytes.fromhex(config["delimiter"])),
        reasons=REASONS,
        frame_any_length=lambda config, payload: payload + bytes.fromhex(config["delimiter"]),
        cut_points=_cut_points,
        early_close=_early_close,
    ),
)
