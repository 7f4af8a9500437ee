"""What the drivers and the in-process adapters share around a client protocol.

- ``Forwarder``: the application's three requests forwarded to the protocol's ``command``,
  ``notify`` and ``stop_notify``, the handle each returns passed through ``_handle`` (returned
  as it is unless a subclass says otherwise);
- ``Session``: a driver's session (see ``app``): the forwarding, and the finish: close the
  connection, and exit 0 once the protocol reports it lost (or after ``CLOSE_GRACE`` seconds at
  most); a subclass says how a handle settles and how its transport closes;
- ``attach``: a protocol wired to its session and to the contract's application.
"""

from __future__ import annotations

from collections.abc import Callable

from . import events
from .app import Application

#: Seconds the finish waits for the connection to be reported lost before leaving anyway.
CLOSE_GRACE = 1.0


class Forwarder:
    """``request``, ``notify`` and ``stop_notify`` of ``self.proto``."""

    proto: object

    def request(self, text: bytes):
        return self._handle(self.proto.command(text))

    def notify(self):
        return self._handle(self.proto.notify())

    def stop_notify(self):
        return self._handle(self.proto.stop_notify())

    def _handle(self, handle):
        return handle


class Session(Forwarder):
    """The application's view of a connected client protocol; ``call_later(delay, f, *args)``
    is the event loop's (``reactor.callLater``, ``loop.call_later``)."""

    def __init__(self, proto, call_later: Callable) -> None:
        self.proto = proto
        self.call_later = call_later
        self.lost = False
        self.closing = False

    def settle(self, handle, on_reply, on_error) -> None:
        raise NotImplementedError

    def _close_transport(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.closing = True
        if self.lost:
            events.leave(0)
        self._close_transport()
        self.call_later(CLOSE_GRACE, events.leave, 0)

    def connection_lost(self) -> None:
        self.lost = True
        if self.closing:
            events.leave(0)


def attach(proto, session: Session):
    """``proto`` with its ``driver_session``, its ``driver_app`` and the application's hooks."""
    proto.driver_session = session
    proto.driver_app = Application(session)
    proto.on_notification = proto.driver_app.notification
    proto.on_unexpected = proto.driver_app.unexpected
    return proto
