"""The notes' first client: ``lineReceived`` fires whatever ``self.d`` holds.

A line before any request calls ``callback`` on None (AttributeError); a second line for
one request fires the spent Deferred again (AlreadyCalledError); a burst of requests
overwrites ``self.d``, so the first reply goes to the last request.
"""

from __future__ import annotations

from _twisted_client.notes import OneDeferredClient


class NaiveClient(OneDeferredClient):
    # callback executed by Twisted
    # ----------------------------
    def lineReceived(self, data: bytes) -> None:
        self.d.callback(data)
