"""Echo servers written independently of the reference codecs, each with one realistic bug.

    python tests/broken_servers.py NAME --port N [--max-length N] [--delimiter HEX]

NAME is a bug from BUGS, or 'correct-netstring', 'correct-int8|16|32', 'correct-line'.
These are deliberately naive (buffer, parse from the front) so that each differs from
a correct server only by its bug.
"""

from __future__ import annotations

import argparse
import asyncio
import struct


class Netstring:
    protocol = "netstring"

    def __init__(self, max_length: int, delimiter: bytes) -> None:
        self.max_length = max_length
        self.buf = b""

    def parse_length(self, digits: bytes) -> int | None:
        """None when the length is malformed."""
        if not digits.isdigit() or (len(digits) > 1 and digits[:1] == b"0"):
            return None
        return int(digits)

    def terminator_ok(self, byte: bytes) -> bool:
        return byte == b","

    def over_max(self, length: int) -> bool:
        return length > self.max_length

    def feed(self, data: bytes) -> tuple[list[bytes], bool]:
        self.buf += data
        frames = []
        while True:
            colon = self.buf.find(b":")
            head = self.buf if colon < 0 else self.buf[:colon]
            if colon < 0:
                if head and (not head.isdigit() or self.over_max(int(head)) or (len(head) > 1 and head[:1] == b"0")):
                    return frames, True
                return frames, False
            length = self.parse_length(head)
            if length is None or self.over_max(length):
                return frames, True
            end = colon + 1 + length
            if len(self.buf) < end + 1:
                return frames, False
            if not self.terminator_ok(self.buf[end : end + 1]):
                return frames, True
            frames.append(self.buf[colon + 1 : end])
            self.buf = self.buf[end + 1 :]

    def encode(self, payload: bytes) -> bytes:
        return b"%d:%s," % (len(payload), payload)


class IntPrefix:
    fmt = "!H"
    protocol = "int16"

    def __init__(self, max_length: int, delimiter: bytes) -> None:
        self.max_length = max_length
        self.buf = b""
        self.width = struct.calcsize(self.fmt)

    def over_max(self, length: int) -> bool:
        return length > self.max_length

    def deliver(self, frames: list, payload: bytes) -> None:
        frames.append(payload)

    def feed(self, data: bytes) -> tuple[list[bytes], bool]:
        self.buf += data
        frames: list = []
        while len(self.buf) >= self.width:
            (length,) = struct.unpack(self.fmt, self.buf[: self.width])
            if self.over_max(length):
                return frames, True
            if len(self.buf) < self.width + length:
                break
            self.deliver(frames, self.buf[self.width : self.width + length])
            self.buf = self.buf[self.width + length :]
        return frames, False

    def encode(self, payload: bytes) -> bytes:
        return struct.pack(self.fmt, len(payload)) + payload


class Int8(IntPrefix):
    fmt, protocol = "!B", "int8"


class Int32(IntPrefix):
    fmt, protocol = "!I", "int32"


class Lines:
    protocol = "line"

    def __init__(self, max_length: int, delimiter: bytes) -> None:
        self.max_length = max_length
        self.delimiter = delimiter
        self.buf = b""

    def too_long_unterminated(self) -> bool:
        return len(self.buf) >= self.max_length + len(self.delimiter)

    def split(self, data: bytes) -> list[bytes]:
        self.buf += data
        *lines, self.buf = self.buf.split(self.delimiter)
        return lines

    def keep(self, line: bytes) -> bool:
        return True

    def feed(self, data: bytes) -> tuple[list[bytes], bool]:
        frames = []
        for line in self.split(data):
            if len(line) > self.max_length:
                return frames, True
            if self.keep(line):
                frames.append(line)
        return frames, self.too_long_unterminated()

    def encode(self, line: bytes) -> bytes:
        return line + self.delimiter


# ------------------------------------------------------------------ the bugs
class NetstringIntLength(Netstring):
    """Lengths parsed with int(): accepts '+5', ' 5', '5_0'."""

    def parse_length(self, digits):
        try:
            return int(digits)
        except ValueError:
            return None

    def feed(self, data):
        self.buf += data
        frames = []
        while (colon := self.buf.find(b":")) >= 0:
            length = self.parse_length(self.buf[:colon])
            if length is None or length < 0 or self.over_max(length):
                return frames, True
            end = colon + 1 + length
            if len(self.buf) < end + 1:
                return frames, False
            if self.buf[end : end + 1] != b",":
                return frames, True
            frames.append(self.buf[colon + 1 : end])
            self.buf = self.buf[end + 1 :]
        return frames, False


class NetstringLeadingZero(Netstring):
    """Leading zeros accepted."""

    def parse_length(self, digits):
        return int(digits) if digits.isdigit() else None

    def feed(self, data):
        self.buf += data
        if self.buf[:1] == b"0" and self.buf[1:2].isdigit():
            self.buf = self.buf.lstrip(b"0") or b"0"
        return super().feed(b"")


class NetstringNoComma(Netstring):
    """The terminator is skipped without being checked."""

    def terminator_ok(self, byte):
        return True


class NetstringCrlfTerminator(Netstring):
    """Accepts CRLF as well as ',' after the payload (one byte checked: CR)."""

    def terminator_ok(self, byte):
        return byte in (b",", b"\r", b";")


class NetstringMaxOffByOne(Netstring):
    """Rejects a payload of exactly max_length."""

    def over_max(self, length):
        return length >= self.max_length


class NetstringCarriesOn(Netstring):
    """Skips a bad byte and resynchronises instead of closing."""

    def feed(self, data):
        frames, closed = super().feed(data)
        while closed and self.buf:
            self.buf = self.buf[1:]
            more, closed = super().feed(b"")
            frames += more
        return frames, False


class Int16LittleEndian(IntPrefix):
    fmt = "<H"


class Int16ZeroDropped(IntPrefix):
    """Zero-length frames are silently dropped."""

    def deliver(self, frames, payload):
        if payload:
            frames.append(payload)


class Int8Signed(Int8):
    """The prefix is read as signed: 0x80.. is negative and treated as invalid."""

    fmt = "!b"

    def over_max(self, length):
        return length < 0 or length > self.max_length


class Int32MaxOffByOne(Int32):
    """Accepts a prefix of max_length + 1."""

    def over_max(self, length):
        return length > self.max_length + 1


class Int32WrongEchoLength(Int32):
    """Re-encodes with the length off by one."""

    def encode(self, payload):
        return struct.pack(self.fmt, len(payload) + 1) + payload


class Int32NoMax(Int32):
    """Never checks max_length: waits for any declared length."""

    def over_max(self, length):
        return False


class Int32AllocatesDeclared(Int32):
    """Reserves a buffer of the declared length as soon as a header arrives, before checking the maximum."""

    def feed(self, data):
        if len(self.buf) < self.width <= len(self.buf) + len(data):
            (length,) = struct.unpack(self.fmt, (self.buf + data)[: self.width])
            self.reserved = bytearray(length)  # the bug: memory for what was only declared
        return super().feed(data)


class LinesNoMax(Lines):
    """Never checks max_length: an unterminated line is buffered without bound."""

    def too_long_unterminated(self):
        return False

    def feed(self, data):
        return self.split(data), False


class Int16Merged(IntPrefix):
    """Frames that arrive in the same read are echoed as one."""

    def feed(self, data):
        frames, closed = super().feed(data)
        return ([b"".join(frames)] if len(frames) > 1 else frames), closed


class LinesPerReadSplit(Lines):
    """Looks for the delimiter only inside each read: a delimiter split across reads is missed."""

    def split(self, data):
        parts = data.split(self.delimiter)
        if len(parts) == 1:
            self.buf += data
            return []
        lines = [self.buf + parts[0], *parts[1:-1]]
        self.buf = parts[-1]
        return lines


class LinesLineOnlyQuirk(Lines):
    """Twisted LineOnlyReceiver's rule: the unterminated buffer may hold at most max_length bytes."""

    def too_long_unterminated(self):
        return len(self.buf) > self.max_length


class LinesEmptyDropped(Lines):
    def keep(self, line):
        return line != b""


class LinesBareLf(Lines):
    """Splits on any line ending (bytes.splitlines), so a bare LF or CR ends a line."""

    def split(self, data):
        self.buf += data
        lines = self.buf.splitlines(keepends=True)
        done = [x.rstrip(b"\r\n") for x in lines if x.endswith((b"\n", b"\r"))]
        self.buf = b"" if not lines or lines[-1].endswith((b"\n", b"\r")) else lines[-1]
        return done


class LinesSkipsLong(Lines):
    """Drops an over-long line and carries on instead of closing."""

    def feed(self, data):
        frames = [x for x in self.split(data) if len(x) <= self.max_length]
        if self.too_long_unterminated():
            self.buf = b""
        return frames, False


class LinesMaxCountsDelimiter(Lines):
    """max_length is checked against the line plus its delimiter."""

    def feed(self, data):
        frames = []
        for line in self.split(data):
            if len(line) + len(self.delimiter) > self.max_length:
                return frames, True
            frames.append(line)
        return frames, self.too_long_unterminated()


class LinesStripped(Lines):
    """Strips whitespace from each line."""

    def split(self, data):
        return [x.strip() for x in super().split(data)]


class LinesEchoPartialAtEof(Lines):
    """At end of stream, echoes a pending partial line."""

    flush_on_eof = True


SERVERS = {
    "correct-netstring": Netstring,
    "correct-int8": Int8,
    "correct-int16": IntPrefix,
    "correct-int32": Int32,
    "correct-line": Lines,
    "netstring-int-length": NetstringIntLength,
    "netstring-leading-zero": NetstringLeadingZero,
    "netstring-no-comma-check": NetstringNoComma,
    "netstring-loose-terminator": NetstringCrlfTerminator,
    "netstring-max-off-by-one": NetstringMaxOffByOne,
    "netstring-carries-on": NetstringCarriesOn,
    "int16-little-endian": Int16LittleEndian,
    "int16-zero-length-dropped": Int16ZeroDropped,
    "int8-signed-prefix": Int8Signed,
    "int32-max-off-by-one": Int32MaxOffByOne,
    "int32-wrong-echo-length": Int32WrongEchoLength,
    "int32-no-max-check": Int32NoMax,
    "int16-frames-merged": Int16Merged,
    "int32-allocates-declared": Int32AllocatesDeclared,
    "line-no-max": LinesNoMax,
    "line-per-read-split": LinesPerReadSplit,
    "line-lineonly-quirk": LinesLineOnlyQuirk,
    "line-empty-dropped": LinesEmptyDropped,
    "line-bare-lf-ends-line": LinesBareLf,
    "line-skips-long-line": LinesSkipsLong,
    "line-max-counts-delimiter": LinesMaxCountsDelimiter,
    "line-stripped": LinesStripped,
    "line-echoes-partial-at-eof": LinesEchoPartialAtEof,
}


class Echo(asyncio.Protocol):
    def __init__(self, make) -> None:
        self.decoder = make()

    def connection_made(self, transport) -> None:
        self.transport = transport

    failed = False

    def data_received(self, data: bytes) -> None:
        if self.failed:
            return  # lingering close: drain until the peer closes
        frames, closed = self.decoder.feed(data)
        if frames:
            self.transport.write(b"".join(self.decoder.encode(f) for f in frames))
        if closed:
            self.failed = True
            self.transport.write_eof()  # FIN after the echoes; closing with unread input would reset
            asyncio.get_running_loop().call_later(2.0, self.transport.close)

    def eof_received(self):
        if getattr(self.decoder, "flush_on_eof", False) and self.decoder.buf:
            self.transport.write(self.decoder.encode(self.decoder.buf))
        return False


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=sorted(SERVERS))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-length", type=int, default=None)
    parser.add_argument("--delimiter", default="0d0a")
    args = parser.parse_args()
    cls = SERVERS[args.name]
    max_length = args.max_length if args.max_length is not None else (16384 if cls.protocol == "line" else 99999)
    delimiter = bytes.fromhex(args.delimiter)
    server = await asyncio.get_running_loop().create_server(
        lambda: Echo(lambda: cls(max_length, delimiter)), "127.0.0.1", args.port
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
