"""Meters: one delivery of a workload to a target, timed the way that target allows.

* In-process (the reference, ``python:``): the CPU time of feeding the reads to a fresh
  session, the garbage collector paused (its pauses land on whichever size triggers them).
* Over TCP (``tcp:``, ``cmd:``): the wall time from the first byte written to the echo of a
  sentinel frame sent after the workload, less the same exchange's time with no workload.
  For a ``cmd:`` server, whose processes wirecheck started, the server's own CPU time is read
  from /proc as well, and is what the fit uses: it does not count the harness's writes.
  Reads the endpoint makes are controlled: before each write of a small-read workload the
  harness waits until the endpoint has read everything sent (its socket's receive queue,
  asked of the kernel through sock_diag), so that a byte written alone is read alone.
* Standard input (``stdio:``): the wall time of the decoder's run, less an empty run's.

A meter never waits without a bound: every delivery has the time it may take, and running
past it is a ``Sample`` marked ``over``, not an error.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import EndpointUnavailable, TargetError, TargetTimeout
from wirecheck.targets.handshake import BadOffer, read_offer

from .queues import ReceiveQueues

SENTINEL = b"wirecheck-cost-sentinel"


@dataclass
class Sample:
    seconds: float | None = None
    #: The delivery ran past its time (the target is slower than the probe may wait).
    over: bool = False
    #: Why the measurement does not count: the target refused the workload, or failed.
    refused: str | None = None


class InProcessMeter:
    """CPU time of a fresh session of an in-process target fed the reads."""

    what = "CPU time, in-process"
    floor = 0.005
    #: Whether the probe measures small-read workloads beside a control (``probe``): only where the
    #: endpoint pays a price of its own per read that the meter cannot leave out.
    controls = False

    def __init__(self, target, protocol: str, params: dict) -> None:
        self.target, self.protocol, self.params = target, protocol, params
        self.notes: list[str] = []

    def measure(self, reads: list[bytes], frames: int, seconds: float) -> Sample:
        session = self.target.session(self.protocol, self.params)
        deadline = time.monotonic() + seconds
        gc.collect()
        enabled = gc.isenabled()
        gc.disable()
        got = 0
        start = time.process_time()
        try:
            for i, data in enumerate(reads):
                got += len(session.feed(data) or ())
                if session.closed:
                    return Sample(refused=f"it closed the stream after {sum(map(len, reads[: i + 1]))} bytes")
                if not i & 4095 and time.monotonic() > deadline:
                    return Sample(over=True)
        except Exception as exc:  # the library's own failure is a finding of the run, not a measurement
            return Sample(refused=f"its session raised {type(exc).__name__}: {str(exc)[:200]}")
        finally:
            if enabled:
                gc.enable()
        elapsed = time.process_time() - start
        if got < frames:
            return Sample(refused=f"it delivered {got} of the {frames} frames")
        return Sample(elapsed)

    def close(self) -> None:
        pass


class SocketMeter:
    """An echo endpoint over TCP: time to the sentinel's echo, the server's CPU time when it is ours."""

    def __init__(self, target, protocol: str, params: dict) -> None:
        self.target = target
        spec = protocols.get(protocol)
        encode = spec.encoder(params, None)
        self.sentinel = encode(SENTINEL)
        #: A server that speaks first (Banana's offer) is answered with the configuration's dialect.
        self.dialect = params.get("dialect", "none").encode() if spec.handshake else None
        self.choice = encode(self.dialect) if spec.handshake else b""
        self.queues = ReceiveQueues.open(target.host)
        pid = getattr(getattr(target, "process", None), "pid", None)
        self.pids = _tree(pid) if pid is not None else []
        self.server_cpu = bool(self.pids) and _cpu_of(self.pids) is not None
        self.what = "server CPU time, over TCP" if self.server_cpu else "wall time, over TCP"
        self.floor = 0.02 if self.server_cpu else 0.05
        self.notes: list[str] = []
        #: Paced, each write is read alone, and costs the endpoint a wake-up of its event loop (tens of
        #: microseconds): small reads are measured beside a control that prices it.
        self.controls = self.queues is not None
        if self.queues is None:
            self.notes.append("the endpoint's reads are not controlled (no sock_diag for this address): "
                              "the kernel may merge small writes into one read")  # fmt: skip
        quiet = [self._quiet(target) for _ in range(3)]
        self.baseline = (statistics.median(q[0] for q in quiet), statistics.median(q[1] for q in quiet))

    def _quiet(self, target) -> tuple[float, float]:
        """The exchange with no workload (the sentinel alone): what every measurement is less."""
        why = ""
        try:
            got = self._exchange([b""], 1, target.timeout)
        except TargetTimeout:
            got, why = None, f"no echo within {target.timeout:g} s"
        if got is None:
            raise EndpointUnavailable(
                f"{target.name} did not echo a sentinel frame ({why or 'it closed the connection'}): wirecheck "
                "cost needs an echo endpoint configured with these parameters (docs/endpoint-contract.md)"
            )
        return got

    def measure(self, reads: list[bytes], frames: int, seconds: float) -> Sample:
        try:
            got = self._exchange(reads, frames, seconds)
        except TargetTimeout:
            return Sample(over=True)
        except TargetError as exc:
            return Sample(refused=str(exc)[:200])
        if got is None:
            return Sample(refused="it closed the connection before echoing the sentinel")
        wall, cpu = got
        value = cpu - self.baseline[1] if self.server_cpu else wall - self.baseline[0]
        return Sample(max(value, 0.0))

    def _exchange(self, reads: list[bytes], frames: int, seconds: float) -> tuple[float, float] | None:
        """(wall seconds, server CPU seconds) of one delivery, or None when the endpoint closed."""
        until = time.monotonic() + seconds
        conn = self.target._open(until)
        if conn is None:
            return None
        tail = bytearray()
        closed = False
        keep = len(self.sentinel)

        def heard(data: bytes) -> bool:
            nonlocal closed
            if not data:
                closed = True
                return False
            tail.extend(data)
            del tail[:-keep]
            return True

        try:
            if self.dialect is not None:
                offer, _ = read_offer(conn, until)
                if self.dialect not in offer:
                    raise TargetError(f"the server does not offer the dialect {self.dialect.decode()}")
                if not conn.send(self.choice, on_read=heard):
                    return None
            cpu0 = _cpu_of(self.pids) if self.server_cpu else 0.0
            start = time.perf_counter()
            paced = len(reads) > 1 and self.queues is not None
            if paced:
                sock = conn.sock
                sock.settimeout(max(0.001, until - time.monotonic()))
                local, peer = sock.getsockname()[1], sock.getpeername()[1]
                for data in reads:
                    sock.sendall(data)
                    self.queues.wait_empty(peer, local, until)
            else:
                for data in reads:
                    if data and not conn.send(data, on_read=heard):
                        return None
            if not conn.send(self.sentinel, on_read=heard):
                return None
            while not closed and not tail.endswith(self.sentinel):
                data = conn.recv(until)
                if data is None:
                    raise TargetTimeout("no echo of the sentinel in time")
                heard(data)
            wall = time.perf_counter() - start
            cpu = _cpu_of(self.pids) - cpu0 if self.server_cpu else 0.0
        except (OSError, BadOffer) as exc:
            raise TargetError(f"the connection failed: {exc}") from None
        finally:
            conn.close()
        return None if closed else (wall, cpu)

    def close(self) -> None:
        if self.queues is not None:
            self.queues.close()


class StdioMeter:
    """A stdio decoder's run on the workload, less an empty run's."""

    what = "wall time, standard input"
    controls = False
    #: A process start costs a tenth of a second or more, and varies by tens of milliseconds.
    floor = 0.2

    def __init__(self, target, protocol: str, params: dict) -> None:
        from wirecheck.targets.stdio import _exchange

        self.target, self.exchange = target, _exchange
        self.notes: list[str] = []
        if not target.chunked:
            self.notes.append("stdio: writes are not paced (the pipe merges them): use stdio-chunked: for small reads")
        quiet = [self._run([], 10.0) for _ in range(3)]
        self.baseline = statistics.median(q for q in quiet if q is not None) if any(quiet) else 0.0

    def _run(self, reads: list[bytes], seconds: float) -> float | None:
        # Chunked, each read is a record of the stream (its length, then its bytes): the decoder reads
        # them apart whatever the pipe does, so they go in one write, and the harness's own cost per
        # write stays out of the measurement.
        if self.target.chunked:
            stream = b"".join(len(c).to_bytes(4, "big") + c for c in reads if c)
        else:
            stream = b"".join(reads)
        writes = [stream] if stream else []
        start = time.perf_counter()
        status, _, _ = self.exchange(self.target.argv, writes, 0.0, time.monotonic() + seconds,
                                     4 * sum(map(len, reads)) + (1 << 20))  # fmt: skip
        return time.perf_counter() - start if status == 0 else None

    def measure(self, reads: list[bytes], frames: int, seconds: float) -> Sample:
        try:
            got = self._run(reads, seconds)
        except TargetTimeout:
            return Sample(over=True)
        if got is None:
            return Sample(refused="the decoder did not exit 0 at the end of the stream")
        return Sample(max(got - self.baseline, 0.0))

    def close(self) -> None:
        pass


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, found once: the server is started before the probe."""
    from wirecheck.targets.processes import with_descendants

    return sorted(child for child, _ in with_descendants({(pid, 0)}))


def _cpu_of(pids: list[int]) -> float | None:
    """CPU seconds used so far by every thread of ``pids`` (Linux schedstat, in nanoseconds)."""
    total = 0
    found = False
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            try:
                total += int(task.read_text().split()[0])
                found = True
            except (OSError, ValueError, IndexError):
                continue
    return total / 1e9 if found else None


def meter_for(target, protocol: str, params: dict):
    """The meter a target can be measured with."""
    from wirecheck.targets import StdioTarget, TcpTarget

    if target.session(protocol, params) is not None:
        return InProcessMeter(target, protocol, params)
    if isinstance(target, TcpTarget):
        return SocketMeter(target, protocol, params)
    if isinstance(target, StdioTarget):
        return StdioMeter(target, protocol, params)
    raise TargetError(f"{target.name}: wirecheck cost measures in-process, TCP and stdio targets")
