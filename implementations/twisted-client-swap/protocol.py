"""The notes' final single-Deferred client (their "Robust" listing).

``self.d`` is swapped out before it fires, so a request sent from the callback is kept; and
``command`` asserts that no request is waiting, so a burst of requests fails the assertion.
"""

from __future__ import annotations

from _twisted_client.notes import OneDeferredClient
from twisted.internet import defer


class SwapClient(OneDeferredClient):
    def lineReceived(self, data: bytes) -> None:
        if self.d is None:  # no deferred waiting: ignore the unexpected line
            return
        d, self.d = self.d, None
        d.callback(data)

    def command(self, cmd: bytes) -> defer.Deferred:
        assert self.d is None
        self.sendLine(cmd)
        self.d = defer.Deferred()
        return self.d
