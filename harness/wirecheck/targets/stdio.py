"""A decoder with no socket: ``stdio:COMMAND`` and ``stdio-chunked:COMMAND`` (docs/stdio-contract.md).

The command is started once per delivery.  The stream goes to its standard input (each
read one paced write, or, chunked, each read as a 4-byte big-endian length and its bytes);
standard output carries one JSON object per line: ``{"frame": HEX}`` per decoded frame,
``{"error": REASON}`` before exit status 1 on invalid input.  Exit 0 is end of stream.
Everything the command writes is untrusted: read within a byte budget and a time budget,
parsed line by line with a bounded line length, and the command's whole process group is
stopped when the delivery ends.
"""

from __future__ import annotations

import collections
import json
import os
import selectors
import shlex
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence

from wirecheck import protocols
from wirecheck.checks import Target
from wirecheck.codecs import NOT_FRAMES, ProtocolError
from wirecheck.errors import RunDeadline, TargetError, TargetTimeout, Unsupported
from wirecheck.oracle import Observation
from wirecheck.vectors import Vector

#: Exit statuses of the contract: end of stream reached, invalid input reported.
EXIT_DONE, EXIT_INVALID = 0, 1
#: Standard error kept per delivery (its end), for the report.
STDERR_LIMIT = 64 * 1024
#: Bytes of standard output allowed beyond twice the input's hex: every frame line's own overhead.
OUTPUT_SLACK = 64 * 1024
#: Pause between the writes of a raw delivery, so that a decoder reading what is there sees them apart.
RAW_PAUSE = 0.002


class StdioTarget(Target):
    """A decoder command fed on standard input, its frames read from standard output."""

    # Every delivery starts a process (a tenth of a second or more for an interpreter): fewer
    # cuts than over a socket, the ones that matter (every split of a short input, each byte alone).
    split_all_up_to = 8
    bytewise_up_to = 256
    max_chunks = 16
    reports_reasons = False

    def __init__(self, command: str, chunked: bool = False, timeout: float = 5.0, delay: float = 0.0) -> None:
        try:
            self.argv = shlex.split(command)
        except ValueError as exc:
            raise TargetError(f"cannot parse the command: {exc}") from None
        if not self.argv:
            raise TargetError("the stdio: target is empty")
        if shutil.which(self.argv[0]) is None:
            raise TargetError(f"{self.argv[0]!r}: no such command")
        self.chunked = chunked
        self.timeout = timeout
        self.delay = delay
        self.name = ("stdio-chunked:" if chunked else "stdio:") + command
        self.run_deadline: float | None = None
        self.last_stderr = b""

    def set_deadline(self, when: float | None) -> None:
        self.run_deadline = when

    def output(self) -> str | None:
        return self.last_stderr.decode("utf-8", "replace") or None

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        spec = protocols.get(vector.protocol)
        params = protocols.complete(spec, vector.params)
        if spec.handshake_role(params) is not None:
            raise Unsupported("a stdio decoder has no handshake: only the peer role of Banana")
        pause = self.delay or (0.0 if self.chunked else RAW_PAUSE)
        until = time.monotonic() + self.timeout + pause * len(chunks)
        cut = self.run_deadline is not None and until >= self.run_deadline
        if self.run_deadline is not None:
            until = min(until, self.run_deadline)
        writes = [len(c).to_bytes(4, "big") + c for c in chunks if c] if self.chunked else [c for c in chunks if c]
        limit = 2 * sum(map(len, chunks)) + OUTPUT_SLACK
        try:
            status, out, err = _exchange(self.argv, writes, pause, until, limit)
        except TargetTimeout:
            if cut:
                raise RunDeadline("the run's deadline passed during this delivery") from None
            raise
        self.last_stderr = err
        return _observation(spec, params, vector, status, out, err, limit)


def _exchange(argv: list[str], writes: list[bytes], pause: float, until: float, limit: int):
    """Run the command once: write, close its input, read both outputs to their end or ``until``.
    Returns (exit status or None when the output flooded, stdout, stderr tail)."""
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)  # fmt: skip
    except OSError as exc:
        raise TargetError(f"cannot start {argv[0]!r}: {exc.strerror or exc}") from None
    out, err = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    try:
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            os.set_blocking(stream.fileno(), False)
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        pending = collections.deque(writes)  # popped from the front: a list would cost O(writes) a pop
        current = memoryview(pending.popleft()) if pending else None
        stdin_open = True
        next_write = time.monotonic()
        if current is None:
            proc.stdin.close()
            stdin_open = False
        else:
            sel.register(proc.stdin, selectors.EVENT_WRITE, None)
        while sel.get_map():
            now = time.monotonic()
            if now >= until:
                raise TargetTimeout("the decoder did not finish in time", len(out))
            wait = until - now
            if stdin_open and now < next_write:
                wait = min(wait, next_write - now)
            for key, _ in sel.select(wait):
                if key.data is None:  # stdin writable
                    if time.monotonic() < next_write:
                        continue
                    try:
                        current = current[os.write(proc.stdin.fileno(), current) :]
                    except (BrokenPipeError, ConnectionResetError):
                        pending, current = collections.deque(), memoryview(b"")  # it stopped reading: a close
                    if not current:
                        if pending:
                            current = memoryview(pending.popleft())
                            next_write = time.monotonic() + pause
                        else:
                            sel.unregister(proc.stdin)
                            proc.stdin.close()
                            stdin_open = False
                    continue
                data = os.read(key.fileobj.fileno(), 65536)
                if not data:
                    sel.unregister(key.fileobj)
                    continue
                key.data.extend(data)
                if key.data is err and len(err) > STDERR_LIMIT:
                    del err[: len(err) - STDERR_LIMIT]
                if len(out) > limit:
                    return None, bytes(out), bytes(err)
        remaining = max(0.0, until - time.monotonic())
        try:
            return proc.wait(timeout=remaining), bytes(out), bytes(err)
        except subprocess.TimeoutExpired:
            raise TargetTimeout("the decoder closed its output but did not exit in time", len(out)) from None
    finally:
        sel.close()
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """The command's whole process group, stopped; its pipes closed."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # a decoder holds no state worth a graceful stop
    except (ProcessLookupError, PermissionError):
        pass
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        try:
            stream.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=2.0)
    except subprocess.TimeoutExpired:
        pass


def _observation(
    spec, params: dict, vector: Vector, status: int | None, out: bytes, err: bytes, limit: int
) -> Observation:
    """What the decoder's output says it did with the stream."""
    obs = Observation()
    if status is None:
        obs.problems.append(f"the decoder wrote more than {limit} bytes: flood")
    error = None
    for number, line in enumerate(out.split(b"\n"), 1):
        if not line.strip():
            continue
        if error is not None:
            obs.problems.append(f"output line {number} comes after the error line")
            break
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            obs.problems.append(f"output line {number} is not JSON: {line[:80]!r}")
            break
        if isinstance(item, dict) and isinstance(item.get("frame"), str):
            try:
                obs.frames.append(_frame(spec, params, item["frame"]))
            except ValueError as exc:
                obs.problems.append(f"output line {number}: {exc}")
                break
        elif isinstance(item, dict) and "error" in item:
            error = str(item["error"])[:200]
        else:
            obs.problems.append(f"output line {number} is neither a frame nor an error: {line[:80]!r}")
            break
    if status == EXIT_INVALID and error is not None:
        obs.status = "close"
    elif status == EXIT_DONE and error is None:
        obs.status = "incomplete" if vector.expected.outcome["status"] == "incomplete" else "ok"
    elif status is not None:
        obs.status = "close"
        tail = err[-300:].decode("utf-8", "replace").strip()
        obs.problems.append(f"the decoder exited with status {status}" + (f" ({tail})" if tail else "")
                            + ("" if error is None or status == EXIT_INVALID else " after an error line"))  # fmt: skip
    return obs


def _frame(spec, params: dict, text: str):
    """One frame line's payload in its JSON form (a Banana expression decoded by value)."""
    try:
        data = bytes.fromhex(text)
    except ValueError:
        raise ValueError("the frame is not hex") from None
    if not spec.structured:
        return data.hex()
    decoder = spec.decoder({**params, "role": "peer"})
    events = [e for e in decoder.feed(data) if not isinstance(e, NOT_FRAMES)]
    if len(events) != 1 or isinstance(events[0], ProtocolError) or decoder.in_frame:
        raise ValueError(f"the frame {text[:60]} is not one {spec.name} expression")
    return protocols.frame_to_json(spec, events[0])
