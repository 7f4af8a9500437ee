"""``client.py`` of a Twisted client: one TCP connection on the reactor, the contract's actions
on standard input, its events on standard output.

    python client.py --host 127.0.0.1 --port 6789 [--max-length 16384]

A crash is anything Twisted logs as a failure (an exception escaping ``lineReceived`` is logged
as "Unhandled Error" before Twisted drops the connection; an unhandled error in a Deferred
when it is collected) or any exception of the protocol's ``command()`` when the application
calls it: the traceback goes to standard error and the process exits 70 at once.
A connection that cannot be made exits 2.  At the finish the connection is closed and the
process exits 0 once Twisted reports it lost (or after a second at most).
"""

from __future__ import annotations

from . import events
from .actions import parse_args, read_stdin
from .app import Application
from .session import Session, attach


def crash_observer(event: dict) -> None:
    """A twisted.logger observer: a logged failure (or a legacy ``isError`` event) is a crash."""
    failure = event.get("log_failure")
    if failure is None and not event.get("isError"):
        return
    from twisted.logger import formatEvent

    text = formatEvent(event) or "Unhandled Error"
    if failure is not None and "Traceback" not in text:  # a legacy log.err() event's text has it already
        text += "\n" + failure.getTraceback()
    events.crash(text)


class TwistedSession(Session):
    """The application's view of a connected Twisted client protocol."""

    def settle(self, deferred, on_reply, on_error) -> None:
        def replied(data):
            on_reply(data)

        def failed(failure):
            on_error(f"{failure.type.__name__}: {failure.getErrorMessage()}")

        deferred.addCallbacks(replied, failed)

    def _close_transport(self) -> None:
        self.proto.transport.loseConnection()


def main(protocol_class, argv: list[str] | None = None) -> None:
    args = parse_args(argv, f"The {protocol_class.__name__} client of docs/client-contract.md.")
    from twisted.logger import globalLogPublisher

    globalLogPublisher.addObserver(crash_observer)
    from twisted.internet import reactor
    from twisted.internet.protocol import ClientFactory

    class Driven(protocol_class):
        """The client unchanged; the driver starts reading actions once it is connected and
        is told when the connection is lost."""

        driver_session: TwistedSession
        driver_app: Application

        def connectionMade(self):
            super().connectionMade()
            read_stdin(reactor.callFromThread, self.driver_app.action, self.driver_app.end_of_input)

        def connectionLost(self, reason):
            super().connectionLost(reason)
            self.driver_session.connection_lost()

    class Factory(ClientFactory):
        def buildProtocol(self, addr):
            proto = Driven()
            proto.factory = self
            proto.MAX_LENGTH = args.max_length
            return attach(proto, TwistedSession(proto, reactor.callLater))

        def clientConnectionFailed(self, connector, reason):
            events.connect_failed(args.host, args.port, reason.getErrorMessage())

    reactor.connectTCP(args.host, args.port, Factory())
    reactor.run()
    events.leave(0)
