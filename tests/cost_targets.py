"""``python:`` adapters with a resource bug each, for tests/test_cost.py (and one without).

rescanning   lines: the whole buffer copied and split again on every read (quadratic in reads)
allocating   int32: a buffer of the declared length reserved at the header, before the max check
unbounded    lines: no maximum at all, an unterminated line buffered for ever
linear       lines: a bytearray buffer searched from where the last search stopped (the fix)
"""

from __future__ import annotations


class _Lines:
    def __init__(self, params: dict) -> None:
        self.delimiter = bytes.fromhex(params.get("delimiter", "0d0a"))
        self.max_length = params.get("max_length", 16384)
        self.buf = b""
        self.closed = False

    @property
    def pending(self) -> bool:
        return bool(self.buf)


class Rescanning(_Lines):
    def feed(self, data: bytes) -> list:
        self.buf += data
        *lines, self.buf = self.buf.split(self.delimiter)
        if len(self.buf) > self.max_length + len(self.delimiter) or any(len(x) > self.max_length for x in lines):
            self.closed = True
        return lines


class Unbounded(_Lines):
    def feed(self, data: bytes) -> list:
        self.buf += data
        *lines, self.buf = self.buf.split(self.delimiter)
        return lines


class Linear(_Lines):
    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.buf = bytearray()
        self.searched = 0

    def feed(self, data: bytes) -> list:
        self.buf += data
        lines = []
        while True:
            at = self.buf.find(self.delimiter, max(0, self.searched - len(self.delimiter) + 1))
            if at < 0:
                self.searched = len(self.buf)
                if len(self.buf) > self.max_length + len(self.delimiter):
                    self.closed = True
                return lines
            line = bytes(self.buf[:at])
            if len(line) > self.max_length:
                self.closed = True
                return lines
            lines.append(line)
            del self.buf[: at + len(self.delimiter)]
            self.searched = 0


class Allocating:
    def __init__(self, params: dict) -> None:
        self.max_length = params["max_length"]
        self.buf = bytearray()
        self.closed = False
        self.reserved = None

    @property
    def pending(self) -> bool:
        return bool(self.buf)

    def feed(self, data: bytes) -> list:
        if len(self.buf) < 4 <= len(self.buf) + len(data):
            self.reserved = bytearray(int.from_bytes((self.buf + data)[:4], "big"))  # the bug
        self.buf += data
        frames = []
        while len(self.buf) >= 4:
            length = int.from_bytes(self.buf[:4], "big")
            if length > self.max_length:
                self.closed = True
                return frames
            if len(self.buf) < 4 + length:
                break
            frames.append(bytes(self.buf[4 : 4 + length]))
            del self.buf[: 4 + length]
        return frames


def _only(protocols: tuple, cls):
    def factory(protocol: str, params: dict):
        if protocol not in protocols:
            raise NotImplementedError(f"only {', '.join(protocols)}")
        return cls(params)

    return factory


rescanning = _only(("line",), Rescanning)
unbounded = _only(("line",), Unbounded)
linear = _only(("line",), Linear)
allocating = _only(("int32",), Allocating)
