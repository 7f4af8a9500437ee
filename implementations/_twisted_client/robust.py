"""The robust clients' logic, on no framework: twisted-client-prefix, -numbered and asyncio-client.

- a line starting with ``notif:`` is a notification in notification mode (from the moment
  ``notify`` is sent until the reply to the last ``stop_notify`` arrives, unless a ``notify``
  was sent after it) and unexpected otherwise: it is never a reply;
- any other line is the reply to the pending request it matches (``_take``: by default the
  oldest, the pending requests being a FIFO), taken out of the pending requests before it is
  resolved; with none matching it is unexpected;
- unexpected lines are ignored, and reported through ``on_unexpected`` when it is set;
- once the client has failed every pending request (``_fail_all``: the connection was lost,
  or the client closed it), a request made after that fails at once with the same reason.

A framework's binding gives the request handles and the line writing: ``_new_handle()``,
``_failed_handle(reason)``, ``_resolve(handle, reply)``, ``_reject(handle, reason)``,
``_send(line)``, and ``_tell(hook, line)`` for the application's hooks.  A pending request
is the pair ``(handle, stops)``, ``stops`` being, for a ``stop_notify``, the number of
``notify`` requests sent before it.
"""

from __future__ import annotations

from collections import deque

NOTIFICATION_PREFIX = b"notif:"


class RobustClient:
    #: Set by the application: called with each notification's bytes.
    on_notification = None
    #: Set by the application: called with each unexpected line's bytes.
    on_unexpected = None

    def __init__(self) -> None:
        self.pending = self._new_pending()
        self.notifying = False
        self.notify_count = 0  # notify requests sent so far
        self.closed = None  # why requests fail from now on

    # lines
    # -----
    def line_received(self, line: bytes) -> None:
        if line.startswith(NOTIFICATION_PREFIX):
            if self.notifying:
                self._tell(self.on_notification, line)
            else:
                self.unexpected(line)
            return
        taken = self._take(line)
        if taken is None:
            self.unexpected(line)
            return
        (handle, stops), reply = taken
        if stops is not None and stops == self.notify_count:
            self.notifying = False  # stop_notify answered, no notify sent since
        self._resolve(handle, reply)

    def unexpected(self, line: bytes) -> None:
        self._tell(self.on_unexpected, line)

    # requests
    # --------
    def command(self, text: bytes, stops: int | None = None):
        if self.closed is not None:
            return self._failed_handle(self.closed)
        handle = self._new_handle()
        self._send(self._register(text, (handle, stops)))
        return handle

    def notify(self):
        self.notify_count += 1
        self.notifying = True
        return self.command(b"notify")

    def stop_notify(self):
        return self.command(b"stop_notify", stops=self.notify_count)

    def _fail_all(self, reason) -> None:
        self.closed = reason
        for handle, _ in self._drain():
            self._reject(handle, reason)

    # the pending requests: a FIFO unless a client says otherwise
    # -----------------------------------------------------------
    def _new_pending(self):
        return deque()

    def _register(self, text: bytes, entry: tuple) -> bytes:
        """Keep ``entry`` pending; the line that sends the request ``text``."""
        self.pending.append(entry)
        return text

    def _take(self, line: bytes) -> tuple[tuple, bytes] | None:
        """The pending entry ``line`` replies to, taken out, and the reply; None if none."""
        if not self.pending:
            return None
        return self.pending.popleft(), line

    def _drain(self):
        """Every pending entry, none pending any more."""
        pending, self.pending = self.pending, self._new_pending()
        return pending
