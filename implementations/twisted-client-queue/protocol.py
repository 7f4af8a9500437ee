"""The notes' "lighter solution" to bursts: the requests are queued.

A FIFO of Deferreds, one reply per request in order, each Deferred taken off the queue before
it fires.  Notifications are not told apart: while a request waits, any line is its reply,
a ``notif:`` line included; with none waiting, a line is a notification in notification mode
(from the reply to ``notify``, as the notes' ``notifyMe``, until ``stop_notify`` is sent, as
their ``stopNotify``: ``_twisted_client.notes.NotesClient``) and unexpected otherwise.  Nothing
is done for pending requests when the connection is lost, as in the notes.
"""

from __future__ import annotations

from collections import deque

from _twisted_client.notes import NotesClient
from twisted.internet import defer


class QueueClient(NotesClient):
    def __init__(self) -> None:
        self.queue: deque[defer.Deferred] = deque()
        self.notifying = False

    def lineReceived(self, data: bytes) -> None:
        if self.queue:
            d = self.queue.popleft()
            d.callback(data)
        elif self.notifying:
            self.gotNotification(data)
        elif self.on_unexpected is not None:
            self.on_unexpected(data)

    def command(self, cmd: bytes) -> defer.Deferred:
        d = defer.Deferred()
        self.queue.append(d)
        self.sendLine(cmd)
        return d

    def _notifications_on(self) -> None:
        self.notifying = True

    def _notifications_off(self) -> None:
        self.notifying = False
