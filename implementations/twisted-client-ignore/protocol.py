"""The notes' second stage: a line with no Deferred waiting is ignored.

``self.d`` is still never cleared once it fired, so a second line for one request still
fires a spent Deferred (AlreadyCalledError).
"""

from __future__ import annotations

from _twisted_client.notes import OneDeferredClient


class IgnoreClient(OneDeferredClient):
    def lineReceived(self, data: bytes) -> None:
        if self.d is None:  # no command sent: ignore the unexpected line
            return
        self.d.callback(data)
