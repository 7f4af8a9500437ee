"""``client.py`` of an asyncio client: the same contract as ``driver`` on an asyncio loop.

    python client.py --host 127.0.0.1 --port 6789 [--max-length 16384]

A crash is an exception escaping the protocol's callbacks or a future's done-callback
(whatever reaches the loop's exception handler with an exception), or any exception of the
protocol's ``command()`` when the application calls it: traceback on standard error, exit 70.
A connection that cannot be made exits 2; the finish closes the connection and exits 0 once
the protocol reports it lost (or after a second at most).
"""

from __future__ import annotations

import asyncio
import traceback

from . import events
from .actions import parse_args, read_stdin
from .app import Application
from .session import Session, attach


def crash_handler(loop, context: dict) -> None:
    exc = context.get("exception")
    message = context.get("message", "")
    if exc is None:
        events.warn(f"asyncio: {message}")
        return
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    events.crash(f"{message}\n{text}" if message else text)


class AsyncioSession(Session):
    """The application's view of a connected asyncio client protocol."""

    def settle(self, future, on_reply, on_error) -> None:
        def done(f) -> None:
            if f.cancelled():
                on_error("CancelledError")
            elif f.exception() is not None:
                on_error(events.describe(f.exception()))
            else:
                on_reply(f.result())

        future.add_done_callback(done)

    def _close_transport(self) -> None:
        self.proto.transport.close()


def main(protocol_class, argv: list[str] | None = None) -> None:
    args = parse_args(argv, f"The {protocol_class.__name__} client of docs/client-contract.md.")

    class Driven(protocol_class):
        """The client unchanged; an exception escaping it is a crash, and the driver is told
        when the connection is lost."""

        driver_session: AsyncioSession
        driver_app: Application

        def data_received(self, data: bytes) -> None:
            try:
                super().data_received(data)
            except BaseException:  # asyncio would only log it (and not at all for an OSError)
                events.crash_here()

        def connection_lost(self, exc) -> None:
            try:
                super().connection_lost(exc)
            except BaseException:
                events.crash_here()
            self.driver_session.connection_lost()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(crash_handler)

        def build() -> Driven:
            proto = Driven(max_length=args.max_length)
            return attach(proto, AsyncioSession(proto, loop.call_later))

        try:
            _, proto = await loop.create_connection(build, args.host, args.port)
        except OSError as exc:
            events.connect_failed(args.host, args.port, str(exc))
        read_stdin(loop.call_soon_threadsafe, proto.driver_app.action, proto.driver_app.end_of_input)
        await loop.create_future()  # the finish or a crash leaves the process

    asyncio.run(run())
