"""Running a scenario against an in-process client: no socket, no reactor, no threads.

The server's script writes straight into the adapter's ``data_received``; what the client
writes to its transport is decoded as request frames.  Deferreds fire synchronously;
awaitables get a few turns of an event loop after every step, which is all an asyncio
client needs to run its callbacks.  Time does not pass: a pause is a settling of the loop,
and a client that would still wait at the end of the script has hung (nothing more would
ever come), unless it claims a timeout of its own (an ``expire()`` method), which the run
then calls, as the clock would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .app import Application, ClientCrashed, describe
from .framing import Wire, split_at
from .scenario import Scenario, Step
from .timeline import Outcome, timeline

#: Loop turns given to awaitables after each step.
SETTLE_TURNS = 8


class MemoryTransport:
    """What the client writes, kept for the server; ``close()`` as a real transport would."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.closed = False

    def write(self, data: bytes) -> None:
        if not self.closed:
            self.written += data

    def close(self) -> None:
        self.closed = True

    loseConnection = close

    def take(self) -> bytes:
        data, self.written = bytes(self.written), bytearray()
        return data


class _Run:
    def __init__(self, client, scenario: Scenario, wire: Wire) -> None:
        self.client = client
        self.scenario = scenario
        self.wire = wire
        self.transport = MemoryTransport()
        self.app = Application(client)
        self.outcome = Outcome(events=self.app.events)
        self.requests: list[str] = []
        self.lost = False
        self.script_over = False

    def call(self, fn: Callable, *args) -> None:
        try:
            fn(*args)
        except ClientCrashed:
            raise
        except Exception as exc:
            raise ClientCrashed(describe(exc)) from exc
        if self.app.crash:
            raise ClientCrashed(self.app.crash)

    async def settle(self) -> None:
        for _ in range(SETTLE_TURNS):
            await asyncio.sleep(0)
        if self.app.crash:
            raise ClientCrashed(self.app.crash)
        self.pump()

    def pump(self) -> None:
        frames, error = self.wire.client_frames(self.transport.take())
        self.requests.extend(self.wire.request_text(f) for f in frames)
        if error:
            self.outcome.broken = f"the client's framing is invalid: {error}"
        if self.transport.closed and not self.lost:
            self.lost = True  # the client closed: its transport reports it, as a socket would
            self.call(self.client.connection_lost)

    async def step(self, step: Step) -> None:
        if self.script_over:
            return
        if self.transport.closed:
            self.outcome.notes.append("the client closed the connection")
            self.script_over = True
            return
        if step.kind == "expect":
            if step.request in self.requests:
                self.requests.remove(step.request)
            else:
                self.outcome.notes.append(f"the client never sent the request {step.request!r}")
                self.script_over = True
        elif step.kind == "send":
            for piece in split_at(self.wire.stream(step), step.cuts):
                self.call(self.client.data_received, piece)
                await self.settle()
                if self.transport.closed:
                    break
        elif step.kind in ("close", "half_close"):
            self.lost = True
            self.call(self.client.connection_lost)
            self.script_over = True
        await self.settle()

    async def run(self) -> Outcome:
        try:
            self.call(self.client.connection_made, self.transport)
            for kind, item in timeline(self.scenario):
                if kind == "step":
                    await self.step(item)
                elif kind == "action":
                    self.app.perform(item)
                    await self.settle()
            await self.settle()
            if self.app.waiting and "timeout" in self.scenario.needs and hasattr(self.client, "expire"):
                self.call(self.client.expire)
                await self.settle()
        except ClientCrashed as exc:
            self.outcome.crash = str(exc)
        self.outcome.waiting = sorted(self.app.waiting)
        if self.app.waiting and not self.outcome.crash:
            self.outcome.hang = "still waiting for " + ", ".join(f"request {r}" for r in self.outcome.waiting)
        return self.outcome


def run_inprocess(make_client: Callable[[], object], scenario: Scenario, protocol: str, params: dict,
                  profile: str = "plain") -> Outcome:  # fmt: skip
    """Run ``scenario`` against a fresh client from ``make_client``."""

    async def main() -> Outcome:
        try:
            client = make_client()
        except Exception as exc:
            return Outcome(crash=f"the factory raised {describe(exc)}")
        return await _Run(client, scenario, Wire(protocol, params, profile)).run()

    return asyncio.run(main())
