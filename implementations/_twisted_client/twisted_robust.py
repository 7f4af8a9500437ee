"""``RobustClient`` (``robust``) on a Twisted LineReceiver: the requests' handles are Deferreds.

When the connection is lost every pending request fails with the reason (ConnectionDone,
ConnectionLost), and a request made after that fails at once.  A line over ``MAX_LENGTH``
makes LineReceiver drop the connection, which fails the pending requests the same way.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.protocols import basic

from .robust import RobustClient


class RobustLineReceiver(RobustClient, basic.LineReceiver):
    delimiter = b"\n"

    def lineReceived(self, data: bytes) -> None:
        self.line_received(data)

    def connectionLost(self, reason) -> None:
        self._fail_all(reason)
        super().connectionLost(reason)

    def _new_handle(self) -> defer.Deferred:
        return defer.Deferred()

    def _failed_handle(self, reason) -> defer.Deferred:
        return defer.fail(reason)

    def _resolve(self, d: defer.Deferred, reply: bytes) -> None:
        d.callback(reply)

    def _reject(self, d: defer.Deferred, reason) -> None:
        d.errback(reason)

    def _send(self, line: bytes) -> None:
        self.sendLine(line)

    @staticmethod
    def _tell(hook, line: bytes) -> None:
        if hook is not None:
            hook(line)
