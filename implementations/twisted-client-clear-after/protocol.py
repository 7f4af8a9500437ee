"""The notes' third stage: ``self.d`` is cleared once its callback has run.

The notes' "subtle bug": a request sent from inside that callback stores its Deferred in
``self.d`` first, and the clearing that follows throws it away, so its reply is ignored and
the request is never answered (the same happens to the notification Deferred ``notify`` sets).
"""

from __future__ import annotations

from _twisted_client.notes import OneDeferredClient


class ClearAfterClient(OneDeferredClient):
    def lineReceived(self, data: bytes) -> None:
        if self.d is None:
            return
        self.d.callback(data)
        self.d = None
