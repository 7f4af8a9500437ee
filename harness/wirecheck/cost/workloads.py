"""Cost workloads: streams that grow with a size, each with the way it is cut into reads.

Every workload is named once, in ``WORKLOADS``, with the protocol families it applies to.
Its stream is built from the protocol's own encoder (the registry's), so a new protocol
gets the frame workloads for free; a family adds its own shapes (a line of almost-delimiters,
a Banana list).  ``build`` returns the reads (one-byte reads share 256 objects: a million
distinct ones would charge cache misses to the decoder) and the number of top-level frames a
conforming decoder delivers, so a target that refuses the workload is told apart from one
that is merely slow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wirecheck import protocols

KiB, MiB = 1024, 1024 * 1024
_ONE_BYTE = [bytes([b]) for b in range(256)]


@dataclass(frozen=True)
class Workload:
    name: str
    summary: str
    #: The protocol families it applies to (``ProtocolSpec.family``).
    families: tuple[str, ...]
    #: Bytes per read: None is the whole stream in one write.
    read_size: int | None
    #: (spec, params, size) -> (stream, frames expected)
    make: Callable[[object, dict, int], tuple[bytes, int]]
    #: The stream is one frame of about ``size`` bytes: the configuration's maximum bounds it.
    one_frame: bool = False
    first_size: int = 16 * KiB
    #: The largest stream measured in-process (over a socket, ``SOCKET_MAX``).
    last_size: int = 4 * MiB
    #: Only for configurations this accepts (None: all of its families').
    applies: Callable[[object, dict], bool] | None = None

    def reads(self, stream: bytes) -> list[bytes]:
        """The stream cut into this workload's reads."""
        if self.read_size is None:
            return [stream]
        if self.read_size == 1:
            return [_ONE_BYTE[b] for b in stream]
        step = self.read_size
        return [stream[i : i + step] for i in range(0, len(stream), step)]


def _filler(params: dict) -> bytes:
    """A payload byte that is not part of the line delimiter (any byte will do elsewhere)."""
    delimiter = bytes.fromhex(params.get("delimiter", "")) if "delimiter" in params else b""
    return next(bytes([b]) for b in b"abcdefgh" if bytes([b]) not in delimiter)


def _small_frames(spec, params: dict, size: int) -> tuple[bytes, int]:
    frame = spec.encoder(params, None)(b"abcdefg")
    count = max(1, size // len(frame))
    return frame * count, count


def _one_frame(spec, params: dict, size: int) -> tuple[bytes, int]:
    return spec.encoder(params, None)(_filler(params) * size), 1


def _almost_delimiters(spec, params: dict, size: int) -> tuple[bytes, int]:
    """One line made of the delimiter's first bytes repeated (CR without LF): each may start the delimiter."""
    head = bytes.fromhex(params["delimiter"])[:-1]
    return spec.encoder(params, None)(head * max(1, size // len(head))), 1


def _long_list(spec, params: dict, size: int) -> tuple[bytes, int]:
    """One list of ten-byte elements (2**62 and up: nine base-128 digits and the type byte)."""
    count = max(1, size // 10)
    return spec.encoder(params, None)([2**62 + i % 1000 for i in range(count)]), 1


def _deep_nesting(spec, params: dict, size: int) -> tuple[bytes, int]:
    """Lists of one element nested ``size // 2`` deep around an int (two bytes a level)."""
    depth = max(1, size // 2)
    return b"\x01\x80" * depth + b"\x01\x81", 1


def _multi_byte_delimiter(spec, params: dict) -> bool:
    return len(bytes.fromhex(params.get("delimiter", ""))) > 1


_FRAMED = ("netstring", "intprefix", "lines", "varint")
WORKLOADS: tuple[Workload, ...] = (
    Workload("many-small-frames", "7-byte frames back to back, the whole stream in one write",
             (*_FRAMED, "banana"), None, _small_frames),
    Workload("large-frame-bytewise", "one frame as large as the stream, one byte per read",
             _FRAMED, 1, _one_frame, one_frame=True, first_size=4 * KiB, last_size=1 * MiB),
    Workload("large-frame-16", "one frame as large as the stream, 16 bytes per read",
             _FRAMED, 16, _one_frame, one_frame=True, first_size=4 * KiB),
    Workload("almost-delimiters", "one line of the delimiter's first byte repeated (CR without LF), "
             "16 bytes per read", ("lines",), 16, _almost_delimiters, one_frame=True, first_size=4 * KiB,
             applies=_multi_byte_delimiter),
    Workload("long-list", "one list of ten-byte integers, the whole stream in one write",
             ("banana",), None, _long_list),
    Workload("deep-nesting", "lists nested one in another, one byte per read",
             ("banana",), 1, _deep_nesting, first_size=4 * KiB, last_size=1 * MiB),
    Workload("long-string-bytewise", "one string as large as the stream, one byte per read",
             ("banana",), 1, _one_frame, one_frame=True, first_size=4 * KiB, last_size=512 * KiB),
)  # fmt: skip
BY_NAME = {w.name: w for w in WORKLOADS}
#: The maximum an in-process target, a bundled server or a matrix configuration whose command takes
#: ``{max_length}`` is given for a cost probe: large enough for every workload's largest stream.
PROBE_MAX = 8 * MiB
#: The largest stream sent to an endpoint per delivery: over a socket each byte of a one-byte
#: workload is a write the endpoint reads alone, about 20 microseconds of the harness's own.
SOCKET_MAX = 1 * MiB


def for_protocol(protocol: str, params: dict) -> list[Workload]:
    """The workloads that apply to a configuration of ``protocol``."""
    spec = protocols.get(protocol)
    return [w for w in WORKLOADS if spec.family in w.families and (w.applies is None or w.applies(spec, params))]


def build(workload: Workload, protocol: str, params: dict, size: int) -> tuple[list[bytes], int, int]:
    """(reads, frames expected, bytes) of ``workload`` at ``size``."""
    stream, frames = workload.make(protocols.get(protocol), params, size)
    return workload.reads(stream), frames, len(stream)


def control(workload: Workload) -> Workload:
    """The same bytes cut into the same reads, as small frames: the cost of the reads themselves.

    Where every read costs an endpoint a fixed price of its own (an event loop's wake-up, tens of
    microseconds), a one-byte-read workload's time is mostly that price, and a decoder whose cost
    per read grows with its buffer shows only as the difference between the two."""
    return Workload(f"{workload.name} (control)", f"7-byte frames, {workload.read_size} bytes per read",
                    workload.families, workload.read_size, _small_frames, first_size=workload.first_size,
                    last_size=workload.last_size)  # fmt: skip


def largest(workload: Workload, protocol: str, params: dict, cap: int) -> int:
    """The largest size worth measuring: ``cap``, and for one-frame workloads the maximum frame."""
    spec = protocols.get(protocol)
    top = min(cap, workload.last_size)
    if workload.one_frame:
        limit = spec.limit(params)
        if spec.family == "banana":
            from wirecheck.codecs.banana import SIZE_LIMIT

            limit = SIZE_LIMIT
        if limit is not None:
            top = min(top, limit)
    return top
