"""What the notes' Twisted clients share, ported from the notes' Python 2 code to Python 3 bytes.

``NotesClient``: the notes' notification methods, for every stage built on them (the four
single-Deferred clients below and twisted-client-queue).  ``notify`` is the notes' ``notifyMe``:
once the reply to ``notify`` arrives, notification mode goes on (``_notifications_on``).  Its
one change: the inner callback passes the reply on (the notes' returned None), so that the
application gets the reply to ``notify`` as the contract wants.  ``stop_notify`` is the notes'
``stopNotify``: notification mode off (``_notifications_off``), then the request.
``gotNotification`` tells the application.  Nothing is done for pending requests when the
connection is lost, as in the notes.

``OneDeferredClient``: one Deferred in ``self.d``.  Notification mode on is a fresh Deferred in
``self.d`` whose callback is ``gotNotification``, so the next line is taken for a
notification; off is ``self.d = None``.  Each client folder (twisted-client-naive, -ignore,
-clear-after, -swap) defines its own ``lineReceived`` (and, for -swap, the asserting
``command``): the notes' successive stages.
"""

from __future__ import annotations

from twisted.internet import defer
from twisted.protocols import basic


class NotesClient(basic.LineReceiver):
    delimiter = b"\n"

    #: Set by the application: called with each notification's bytes.
    on_notification = None
    #: Set by the application; called only by the clients that report unexpected lines.
    on_unexpected = None

    def command(self, cmd: bytes) -> defer.Deferred:
        raise NotImplementedError

    def _notifications_on(self) -> None:
        raise NotImplementedError

    def _notifications_off(self) -> None:
        raise NotImplementedError

    # notification methods
    # --------------------
    def notify(self) -> defer.Deferred:
        def _notify_me(reply):
            self._notifications_on()
            return reply

        return self.command(b"notify").addCallback(_notify_me)

    def stop_notify(self) -> defer.Deferred:
        self._notifications_off()
        return self.command(b"stop_notify")

    def gotNotification(self, notif: bytes) -> None:
        if self.on_notification is not None:
            self.on_notification(notif)


class OneDeferredClient(NotesClient):
    d = None

    # internal method
    # ---------------
    def command(self, cmd: bytes) -> defer.Deferred:
        self.sendLine(cmd)
        self.d = defer.Deferred()
        return self.d

    def _notifications_on(self) -> None:
        self.d = defer.Deferred().addCallback(self.gotNotification)

    def _notifications_off(self) -> None:
        self.d = None
