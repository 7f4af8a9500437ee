"""Numbered requests, the notes' answer to bursts: a robust client of the numbered profile.

A request is written ``<id> <text>``, ``<id>`` from the client's own counter (decimal, from 1),
and its reply ``<id> <reply>`` is matched through a dict of Deferreds, the Deferred taken out
of the dict before it fires.  A line whose id is not waiting (unknown, already answered, not
digits, no space after it) is unexpected: ignored, reported through ``on_unexpected`` when it
is set.  A ``notif:`` line is a notification in notification mode (from sending ``notify``
until the reply to the last ``stop_notify``, unless a ``notify`` was sent after it) and
unexpected otherwise.  When the connection is lost every pending request fails with the
reason, and a request made after that fails at once.

All but the numbering is ``_twisted_client.robust`` (shared with twisted-client-prefix and
asyncio-client) on a LineReceiver (``_twisted_client.twisted_robust``); this class keeps its
pending requests in a dict by id instead of a FIFO.
"""

from __future__ import annotations

from _twisted_client.twisted_robust import RobustLineReceiver


class NumberedClient(RobustLineReceiver):
    def __init__(self) -> None:
        super().__init__()
        self.next_id = 1

    def _new_pending(self) -> dict:
        return {}

    def _register(self, text: bytes, entry: tuple) -> bytes:
        request_id = b"%d" % self.next_id
        self.next_id += 1
        self.pending[request_id] = entry
        return request_id + b" " + text

    def _take(self, line: bytes) -> tuple[tuple, bytes] | None:
        request_id, space, reply = line.partition(b" ")
        entry = self.pending.pop(request_id, None) if space and request_id.isdigit() else None
        return None if entry is None else (entry, reply)

    def _drain(self):
        return super()._drain().values()
