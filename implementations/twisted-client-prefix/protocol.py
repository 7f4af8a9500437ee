"""The queue of requests with notifications told apart by their prefix: a robust client.

- a line starting with ``notif:`` is a notification in notification mode (from the moment
  ``notify`` is sent until the reply to the last ``stop_notify`` arrives, unless a ``notify``
  was sent after it) and unexpected otherwise: it is never a reply;
- any other line is the reply to the oldest pending request, whose Deferred is taken off the
  queue before it fires; with none pending it is unexpected;
- unexpected lines are ignored, and reported through ``on_unexpected`` when it is set;
- when the connection is lost every pending request fails with the reason (ConnectionDone,
  ConnectionLost), and a request made after that fails at once.

A line over ``MAX_LENGTH`` makes LineReceiver drop the connection, which fails the pending
requests the same way.  All of it is ``_twisted_client.robust`` (the logic, shared with
twisted-client-numbered and asyncio-client) on a LineReceiver (``_twisted_client.twisted_robust``),
with its pending requests a FIFO.
"""

from __future__ import annotations

from _twisted_client.twisted_robust import RobustLineReceiver


class PrefixClient(RobustLineReceiver):
    pass
