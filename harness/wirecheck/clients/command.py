"""Running a scenario against a client command over TCP: wirecheck is the server.

wirecheck listens on a free loopback port, starts the command (``{host}``, ``{port}``) in its
own process group with a token in its environment, plays the scenario's script on the one
connection the client makes, writes the application's actions to the command's standard
input, and reads the JSON lines it writes (docs/client-contract.md).  Everything the client
sends or prints is untrusted: standard output is read up to ``OUTPUT_LIMIT`` bytes and
``LINE_LIMIT`` lines, standard error's last ``STDERR_LIMIT`` bytes are kept, every wait
(writes included) ends by the scenario's deadline, and whatever happened the command's whole
process tree is stopped before the run returns.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shlex
import socket
import time

from wirecheck.errors import TargetError
from wirecheck.safetext import printable
from wirecheck.targets import processes
from wirecheck.targets.command import TOKEN_VARIABLE

from .framing import Wire, split_at
from .scenario import Event, Scenario, Step
from .timeline import Outcome, timeline

OUTPUT_LIMIT = 1 << 20
LINE_LIMIT = 10_000
STDERR_LIMIT = 64 * 1024
#: Seconds given after an action or a piece of a send, so the client reads each on its own.
SETTLE = 0.03
POLL = 0.005


class _Run:
    def __init__(self, command: str, scenario: Scenario, wire: Wire, timeout: float) -> None:
        self.command = command
        self.scenario = scenario
        self.wire = wire
        self.timeout = timeout
        self.outcome = Outcome()
        self.requests: list[str] = []
        self.connected: asyncio.Future | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.peer_closed = False
        self.sent_ids: set[str] = set()
        self.stderr = bytearray()
        self.token = secrets.token_hex(16)

    # the server side ----------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.connected is None or self.connected.done():
            writer.close()  # one connection per scenario
            return
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.writer = writer
        self.connected.set_result(True)
        try:
            while data := await reader.read(65536):
                frames, error = self.wire.client_frames(data)
                self.requests.extend(self.wire.request_text(f) for f in frames)
                if error:
                    self.outcome.broken = f"the client's framing is invalid: {error}"
        except (ConnectionError, OSError):
            pass
        self.peer_closed = True

    def _remaining(self) -> float:
        return max(0.0, self.deadline - asyncio.get_running_loop().time())

    async def _until(self, predicate) -> bool:
        while not predicate():
            if self._remaining() <= 0 or self.proc.returncode is not None:
                return predicate()
            await asyncio.sleep(POLL)
        return True

    async def _write(self, data: bytes) -> bool:
        if self.writer is None or self.writer.is_closing():
            return False
        try:
            self.writer.write(data)
            await asyncio.wait_for(self.writer.drain(), self._remaining())
        except (ConnectionError, OSError, asyncio.TimeoutError):
            return False
        return True

    async def step(self, step: Step) -> bool:
        """Play one step; False when the script cannot go on."""
        if step.kind == "expect":
            if await self._until(lambda: step.request in self.requests or self.peer_closed):
                if step.request in self.requests:
                    self.requests.remove(step.request)
                    return True
            why = "the client closed the connection" if self.peer_closed else "it never came"
            self.outcome.notes.append(f"the server waited for the request {step.request!r}: {why}")
            return False
        if step.kind == "send":
            for piece in split_at(self.wire.stream(step), step.cuts):
                if not await self._write(piece):
                    self.outcome.notes.append("the client closed the connection")
                    return False
                await asyncio.sleep(SETTLE if len(step.cuts) < 50 else POLL)
            return True
        if step.kind == "pause":
            await asyncio.sleep(min(step.seconds, self._remaining()))
            return True
        if step.kind == "half_close" and self.writer is not None:
            try:
                self.writer.write_eof()
            except (OSError, RuntimeError):
                pass
        elif self.writer is not None:
            self.writer.close()
        return False

    # the application side -------------------------------------------------------------------
    async def _act(self, line: str) -> None:
        words = line.split(" ", 2)
        if words[0] in ("request", "chain") and len(words) > 1:
            self.sent_ids.add(words[1])
        elif words[0] in ("notify", "stop_notify"):
            self.sent_ids.add(words[0])
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            await asyncio.wait_for(self.proc.stdin.drain(), self._remaining())
        except (ConnectionError, OSError, asyncio.TimeoutError):
            return
        await asyncio.sleep(SETTLE)

    def _end_input(self) -> None:
        try:
            self.proc.stdin.close()
        except (ConnectionError, OSError):
            pass

    async def _read_events(self) -> None:
        size = lines = 0
        while True:
            try:
                line = await self.proc.stdout.readline()
            except (ValueError, asyncio.LimitOverrunError):
                self.outcome.broken = "it wrote a line of standard output longer than 64 KiB"
                return
            if not line:
                return
            size, lines = size + len(line), lines + 1
            if size > OUTPUT_LIMIT or lines > LINE_LIMIT:
                self.outcome.broken = f"it flooded standard output (more than {LINE_LIMIT} lines or 1 MiB)"
                return
            event = _event(line)
            if event is None:
                shown = printable(repr(line[:80]))
                self.outcome.broken = self.outcome.broken or f"its output is not the contract's JSON lines: {shown}"
            else:
                self.outcome.events.append(event)

    async def _read_stderr(self) -> None:
        while chunk := await self.proc.stderr.read(65536):
            self.stderr += chunk
            del self.stderr[:-STDERR_LIMIT]

    async def run(self) -> Outcome:
        loop = asyncio.get_running_loop()
        self.deadline = loop.time() + self.timeout
        self.connected = loop.create_future()
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        command = self.command.replace("{host}", "127.0.0.1").replace("{port}", str(port))
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            server.close()
            raise TargetError(f"cannot parse the command: {exc}") from None
        if not argv:
            server.close()
            raise TargetError("the client command is empty")
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, start_new_session=True,
                env={**os.environ, TOKEN_VARIABLE: self.token}, limit=64 * 1024,
            )  # fmt: skip
        except OSError as exc:
            server.close()
            raise TargetError(f"cannot start {argv[0]!r}: {exc.strerror or exc}") from None
        readers = [asyncio.ensure_future(self._read_events()), asyncio.ensure_future(self._read_stderr())]
        try:
            await self._play()
        finally:
            await self._stop(readers)
            server.close()
        return self._finish()

    async def _play(self) -> None:
        if not await self._until(lambda: self.connected.done()):
            self.outcome.hang = "it never connected"
            return
        script_on = True
        for kind, item in timeline(self.scenario):
            if self._remaining() <= 0 or self.proc.returncode is not None:
                break
            if kind == "step" and script_on:
                script_on = await self.step(item)
            elif kind == "action":
                await self._act(item)
            elif kind == "end":
                self._end_input()
        self._end_input()
        await self._until(lambda: False)  # until it exits, or the deadline
        if self.proc.returncode is None:
            self.outcome.hang = f"it did not finish within {self.timeout:g}s"

    async def _stop(self, readers) -> None:
        for sig, grace in processes.STOP_SEQUENCE:
            if self.proc.returncode is not None and not processes.holding(TOKEN_VARIABLE, self.token):
                break
            left = processes.signal_tree(self.proc.pid, TOKEN_VARIABLE, self.token, sig)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except asyncio.TimeoutError:
                pass
            if left:
                await asyncio.to_thread(processes.wait_gone, left, time.monotonic() + grace)
        if self.writer is not None:
            self.writer.close()
        try:
            await asyncio.wait_for(asyncio.gather(*readers), 2.0)
        except asyncio.TimeoutError:
            for task in readers:
                task.cancel()
        transport = getattr(self.proc, "_transport", None)  # its pipes, closed while the loop still runs
        if transport is not None:
            transport.close()

    def _finish(self) -> Outcome:
        out = self.outcome
        out.stderr = self.stderr.decode("utf-8", "backslashreplace")[-4000:]
        code = self.proc.returncode
        if code not in (0, None) and not out.hang:
            out.crash = f"exit status {code}" + _last_error(out.stderr)
        elif code == 0 and "Traceback (most recent call last)" in out.stderr:
            out.crash = "a traceback on standard error" + _last_error(out.stderr)
        answered = {e.id for e in out.events if e.kind in ("reply", "error")}
        out.waiting = sorted(self.sent_ids - answered)
        if out.hang and out.waiting:
            out.hang += ", still waiting for " + ", ".join(f"request {r}" for r in out.waiting)
        return out


def _last_error(stderr: str) -> str:
    """The exception a traceback ends with (its last line that is not blank)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return f": {printable(lines[-1][:200].rstrip(':'))}" if lines else ""


def _event(line: bytes) -> Event | None:
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict) or obj.get("event") not in ("reply", "notification", "error", "unexpected"):
        return None
    kind, rid = obj["event"], obj.get("id", "")
    if not isinstance(rid, str) or len(rid) > 64:
        return None
    try:
        data = bytes.fromhex(obj.get("data", "")) if kind != "error" else b""
    except (TypeError, ValueError):
        return None
    return Event(kind, rid, data, str(obj.get("reason", ""))[:300])


def run_command(command: str, scenario: Scenario, protocol: str, params: dict, profile: str = "plain",
                timeout: float = 5.0) -> Outcome:  # fmt: skip
    """Run ``scenario`` against a fresh start of the client ``command``."""
    return asyncio.run(_Run(command, scenario, Wire(protocol, params, profile), timeout).run())
