"""Memory before validation: what a target allocates for what it has been told, not given.

Three probes, for configurations with a maximum (``max_length``):

* ``declared-over-max``: a header declaring one byte more than the maximum, then a little
  payload.  It must be refused without allocating it: a peak growth of half the declared
  length or more is ``allocates-declared-length``.
* ``declared-at-max-dripped``: a header declaring the maximum, then an eighth of it in eight
  pieces.  After the header and the first piece, memory must not have grown by half the
  maximum (``allocates-declared-length``: it allocated ahead of what arrived); the growth per
  byte received at the end is reported.
* ``unterminated-beyond-max``: a line that never ends (length-prefixed: an over-maximum frame's
  payload) streamed past the maximum.  A target still reading at the end whose memory grew by
  half of what it was sent is ``buffers-beyond-max``.

Gauges: in-process targets are measured with ``tracemalloc`` (every Python allocation,
touched or not); a ``cmd:`` server, whose processes wirecheck started, by their resident
memory: its high-water mark is reset before each probe (Linux ``clear_refs``), so a buffer
allocated and freed at once is still seen, if it was written to.  Other targets are not
measured, and are said to be not measured.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from wirecheck import protocols

from .queues import ReceiveQueues

#: Growth of at least this share of what was declared (or sent) names the behaviour.
SHARE = 0.5
#: The smallest maximum the resident-memory gauge can judge: below it, allocator noise.
RSS_MIN_MAX = 4 << 20


@dataclass
class MemoryResult:
    probe: str
    #: "ok", "behaviour" (``behaviour`` says which) or "not-measured" (``why`` says why).
    verdict: str
    why: str
    behaviour: str | None = None
    grew: int | None = None
    sent: int = 0
    per_byte: float | None = None

    def as_json(self) -> dict:
        return {"probe": self.probe, "verdict": self.verdict, "behaviour": self.behaviour, "why": self.why,
                "grew": self.grew, "sent": self.sent, "per_byte": self.per_byte}  # fmt: skip


class InProcessGauge:
    """Python allocations of a fresh session (tracemalloc), after each step."""

    what = "Python allocations (tracemalloc)"

    def __init__(self, target, protocol: str, params: dict) -> None:
        self.target, self.protocol, self.params = target, protocol, params

    def run(self, steps: list[bytes]) -> tuple[list[int], bool]:
        """Peak growth after each step, and whether the session closed (steps stop there)."""
        started = not tracemalloc.is_tracing()
        if started:
            tracemalloc.start()
        try:
            session = self.target.session(self.protocol, self.params)
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            peaks = []
            for step in steps:
                session.feed(step)
                peaks.append(tracemalloc.get_traced_memory()[1] - base)
                if session.closed:
                    return peaks, True
            return peaks, False
        finally:
            if started:
                tracemalloc.stop()

    def close(self) -> None:
        pass


class ResidentGauge:
    """Resident memory of a started server's processes, over one connection, after each step is read."""

    what = "resident memory of the server's processes"

    def __init__(self, target, pids: list[int]) -> None:
        self.target, self.pids = target, pids
        self.queues = ReceiveQueues.open(target.host)

    def run(self, steps: list[bytes]) -> tuple[list[int], bool]:
        until = time.monotonic() + 30.0
        conn = self.target._open(until)
        if conn is None:
            return [], True
        try:
            for pid in self.pids:
                _write(Path(f"/proc/{pid}/clear_refs"), "5")  # the high-water mark starts again from here
            base = _resident(self.pids, "VmRSS")
            sock = conn.sock
            sock.settimeout(10.0)
            peaks = []
            local, peer = sock.getsockname()[1], sock.getpeername()[1]
            for step in steps:
                try:
                    sock.sendall(step)
                except OSError:
                    return peaks, True
                if self.queues is not None:
                    self.queues.wait_empty(peer, local, until)
                time.sleep(0.05)  # what it read, it has handled
                peaks.append(max(_resident(self.pids, "VmHWM"), _resident(self.pids, "VmRSS")) - base)
                if _closed(sock):
                    return peaks, True
            return peaks, False
        finally:
            conn.close()

    def close(self) -> None:
        if self.queues is not None:
            self.queues.close()


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text)
    except OSError:
        pass


def _resident(pids: list[int], field: str) -> int:
    """Bytes of ``field`` (VmRSS, VmHWM) summed over ``pids``."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def _closed(sock) -> bool:
    """Has the endpoint closed the connection (without waiting)?"""
    sock.setblocking(False)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def _header(spec, params: dict, length: int) -> bytes:
    """What comes before a payload of ``length`` bytes in this protocol's framing."""
    payload = b"x" * length
    encoded = spec.encoder(params, None)(payload)
    return encoded[: encoded.index(payload)]


def probes(gauge, protocol: str, params: dict) -> list[MemoryResult]:
    """The three probes against ``gauge``, for a configuration with a maximum."""
    spec = protocols.get(protocol)
    top = spec.limit(params)
    if top is None or "max_length" not in params:
        return [MemoryResult("all", "not-measured", f"{protocol} has no configured maximum to test against")]
    if isinstance(gauge, ResidentGauge) and top < RSS_MIN_MAX:
        why = f"the maximum ({top}) is too small to tell from allocator noise in resident memory (use {RSS_MIN_MAX}+)"
        return [MemoryResult("all", "not-measured", why)]
    lines = spec.family == "lines"
    results = []
    if not lines:
        results.append(_over_max(gauge, spec, params, top))
        results.append(_dripped(gauge, spec, params, top))
    results.append(_beyond(gauge, spec, params, top, lines))
    return results


def _over_max(gauge, spec, params, top: int) -> MemoryResult:
    steps = [_header(spec, params, top + 1), b"x" * 4096]
    peaks, _ = gauge.run(steps)
    grew = max(peaks, default=0)
    sent = sum(map(len, steps))
    if grew >= SHARE * (top + 1):
        return MemoryResult("declared-over-max", "behaviour", f"grew {grew} bytes for a declared {top + 1}",
                            "allocates-declared-length", grew, sent)  # fmt: skip
    return MemoryResult("declared-over-max", "ok", f"grew {grew} bytes for a declared {top + 1}", None, grew, sent)


def _dripped(gauge, spec, params, top: int) -> MemoryResult:
    piece = max(1, top // 64)
    steps = [_header(spec, params, top)] + [b"x" * piece] * 8
    peaks, closed = gauge.run(steps)
    sent = sum(map(len, steps))
    if closed or len(peaks) < 2:
        return MemoryResult("declared-at-max-dripped", "not-measured", "it closed on a frame of the maximum")
    received = len(steps[0]) + piece * (len(peaks) - 1)
    per_byte = round(peaks[-1] / received, 2)
    ahead = peaks[1] >= SHARE * top
    why = f"grew {peaks[1]} bytes after {len(steps[0]) + piece} of a declared {top}; {per_byte} per byte received"
    return MemoryResult("declared-at-max-dripped", "behaviour" if ahead else "ok", why,
                        "allocates-declared-length" if ahead else None, peaks[-1], sent, per_byte)  # fmt: skip


def _beyond(gauge, spec, params, top: int, lines: bool) -> MemoryResult:
    piece = max(4096, top // 4)
    beyond = max(4 << 20, top)
    head = b"" if lines else _header(spec, params, top + beyond)
    filler = b"a" if lines and b"a" not in bytes.fromhex(params.get("delimiter", "")) else b"b"
    steps = ([head] if head else []) + [filler * piece] * ((top + beyond) // piece + 1)
    peaks, closed = gauge.run(steps)
    sent = sum(map(len, steps[: len(peaks)]))
    grew = max(peaks, default=0)
    if closed:
        return MemoryResult("unterminated-beyond-max", "ok", f"it closed after {sent} bytes", None, grew, sent)
    over = sent - top
    if grew >= SHARE * over:
        return MemoryResult("unterminated-beyond-max", "behaviour", f"still reading after {sent} bytes, grew {grew}",
                            "buffers-beyond-max", grew, sent)  # fmt: skip
    return MemoryResult("unterminated-beyond-max", "ok", f"still reading after {sent} bytes; grew only {grew}",
                        None, grew, sent)  # fmt: skip


def gauge_for(target, protocol: str, params: dict, pids: list[int]):
    """The gauge a target can be measured with, or None (then memory is not measured)."""
    if target.session(protocol, params) is not None:
        return InProcessGauge(target, protocol, params)
    if pids and hasattr(target, "host"):
        return ResidentGauge(target, pids)
    return None
