"""Decoders with a deep, state-dependent bug, as ``python:`` targets: what coverage guidance is for.

Each is the reference decoder with one bug that shows only in a particular state, several
conditions deep, the way real decoder bugs hide: the default properties (100 examples, any
seed) draw that state by luck alone, while ``wirecheck fuzz`` follows the coverage of each
condition (and libFuzzer's comparison hints) to it.

    python:tests/fuzz_targets.py:netstring_after_empty    drops a 5-byte frame starting "!" that
        follows an empty frame, when the read ended just after its length's colon
    python:tests/fuzz_targets.py:int16_magic_third        drops the third frame of one read when
        its payload starts with de ad be ef
    python:tests/fuzz_targets.py:correct                  no bug (the control)
"""

from __future__ import annotations

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES


class _Session:
    """The reference decoder behind the python: target interface, with a hook for one bug."""

    def __init__(self, protocol: str, params: dict, drops) -> None:
        spec = protocols.get(protocol)
        self.decoder = spec.decoder(protocols.complete(spec, params))
        self.encode = spec.encoder(protocols.complete(spec, params), None)
        self.drops = drops
        self.position = 0  # stream offset where the next frame starts
        self.fed = 0
        self.read_ends: set[int] = set()
        self.previous = None

    def feed(self, data: bytes) -> list:
        self.fed += len(data)
        self.read_ends.add(self.fed)
        frames = [event for event in self.decoder.feed(data) if not isinstance(event, NOT_FRAMES)]
        out = []
        for index, frame in enumerate(frames):
            start, self.position = self.position, self.position + len(self.encode(frame))
            if not self.drops(self, frame, start, index):
                out.append(frame)
            self.previous = frame
        return out

    @property
    def closed(self) -> bool:
        return self.decoder.error is not None

    @property
    def pending(self) -> bool:
        return self.decoder.in_frame


def _after_empty(session: _Session, frame: bytes, start: int, index: int) -> bool:
    if session.previous == b"":
        if len(frame) == 5:
            if frame[:1] == b"!":
                colon = start + len(str(len(frame))) + 1
                if colon in session.read_ends:
                    return True
    return False


def _magic_third(session: _Session, frame: bytes, start: int, index: int) -> bool:
    if index == 2:
        if frame[:4] == b"\xde\xad\xbe\xef":
            return True
    return False


def netstring_after_empty(protocol: str, params: dict) -> _Session:
    if protocol != "netstring":
        raise NotImplementedError("netstrings only")
    return _Session(protocol, params, _after_empty)


def int16_magic_third(protocol: str, params: dict) -> _Session:
    if protocol != "int16":
        raise NotImplementedError("int16 only")
    return _Session(protocol, params, _magic_third)


def correct(protocol: str, params: dict) -> _Session:
    return _Session(protocol, params, lambda *_: False)
