"""The reference client: what a robust request/reply client does, the model every transcript is checked by.

It is the end point of the notes' fixes, sans-IO: requests queued (plain profile: replies
in order) or numbered (replies matched by id), the pending request swapped out before its
callback fires, notifications told apart by their ``notif:`` prefix, an unexpected frame
reported and otherwise ignored, every waiting request failed when the connection ends or
its framing breaks.  With ``fail_fast`` it instead closes at the first unexpected frame
(the notes' other choice, a verdict of ``acceptable``).  It speaks the in-process adapter
interface of docs/client-contract.md, so the model is this client run against the
scenario's script with no socket.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from wirecheck import protocols
from wirecheck.codecs.events import NOT_FRAMES, ProtocolError

from .framing import NOTIFICATION_PREFIX


class Promise:
    """A result to come, fired once, with Deferred's ``addCallbacks`` (so the glue treats both alike)."""

    def __init__(self) -> None:
        self._done: tuple[bool, object] | None = None
        self._handlers: list[tuple[Callable, Callable]] = []

    def addCallbacks(self, callback: Callable, errback: Callable) -> Promise:
        if self._done is None:
            self._handlers.append((callback, errback))
        else:
            ok, value = self._done
            (callback if ok else errback)(value)
        return self

    def fire(self, ok: bool, value: object) -> None:
        if self._done is not None:
            return
        self._done = (ok, value)
        handlers, self._handlers = self._handlers, []
        for callback, errback in handlers:
            (callback if ok else errback)(value)


class ReferenceClient:
    """A robust client of the request/reply protocol (docs/client-contract.md)."""

    def __init__(self, protocol: str = "line", params: dict | None = None, profile: str = "plain",
                 fail_fast: bool = False) -> None:  # fmt: skip
        spec = protocols.get(protocol)
        self._config = protocols.complete(spec, params or {"delimiter": "0a"})
        self._encode = spec.encoder(self._config, None)
        self._decoder = spec.decoder(self._config)
        self.profile = profile
        self.fail_fast = fail_fast
        self.on_notification: Callable[[bytes], None] | None = None
        self.on_unexpected: Callable[[bytes], None] | None = None
        self._transport = None
        self._closed = False
        self._waiting: OrderedDict[bytes, tuple[bytes, Promise]] = OrderedDict()  # wire id -> (text, promise)
        self._next_id = 1
        self._notifying = False

    # the adapter interface -------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._closed:
            return
        for event in self._decoder.feed(data):
            if isinstance(event, ProtocolError):
                self._break(f"the server's framing is invalid: {event.reason}")
                return
            if not isinstance(event, NOT_FRAMES):
                self._frame(event)
            if self._closed:
                return

    def connection_lost(self) -> None:
        self._closed = True
        self._fail_all("the connection closed before the reply")

    def request(self, text: bytes) -> Promise:
        promise = Promise()
        if self._closed:
            promise.fire(False, "the connection is closed")
            return promise
        wire_id = str(self._next_id).encode()
        self._next_id += 1
        self._waiting[wire_id] = (text, promise)
        if text == b"notify":
            self._notifying = True
        frame = wire_id + b" " + text if self.profile == "numbered" else text
        self._transport.write(self._encode(frame))
        return promise

    def notify(self) -> Promise:
        return self.request(b"notify")

    def stop_notify(self) -> Promise:
        return self.request(b"stop_notify")

    def expire(self) -> None:
        """The client's own timeout ran out: every waiting request fails."""
        self._fail_all("no reply within the client's timeout")

    # inside -----------------------------------------------------------------------------
    def _frame(self, frame: bytes) -> None:
        if frame.startswith(NOTIFICATION_PREFIX):
            if self._notifying:
                if self.on_notification is not None:
                    self.on_notification(frame)
            else:
                self._unexpected(frame)
            return
        key, data = self._match(frame)
        if key is None:
            self._unexpected(frame)
            return
        text, promise = self._waiting.pop(key)  # swapped out before its callback fires
        if text == b"stop_notify":
            self._notifying = False
        promise.fire(True, data)

    def _match(self, frame: bytes) -> tuple[bytes | None, bytes]:
        if self.profile == "numbered":
            wire_id, sep, data = frame.partition(b" ")
            return (wire_id if sep and wire_id in self._waiting else None), data
        return (next(iter(self._waiting)) if self._waiting else None), frame

    def _unexpected(self, frame: bytes) -> None:
        if self.on_unexpected is not None:
            self.on_unexpected(frame)
        if self.fail_fast:
            self._break("an unexpected frame from the server")

    def _break(self, reason: str) -> None:
        self._closed = True
        if self._transport is not None:
            self._transport.close()
        self._fail_all(reason)

    def _fail_all(self, reason: str) -> None:
        waiting, self._waiting = self._waiting, OrderedDict()
        for _, promise in waiting.values():
            promise.fire(False, reason)


def factory(protocol: str = "line", params: dict | None = None, profile: str = "plain", fail_fast: bool = False):
    """The reference client as an in-process adapter (``python:wirecheck.clients.reference:factory``: lines, LF)."""
    return ReferenceClient(protocol, params, profile, fail_fast)


def fail_fast_factory():
    """The fail-fast reference client, line framing (``python:wirecheck.clients.reference:fail_fast_factory``)."""
    return ReferenceClient(fail_fast=True, params={"delimiter": "0a", "max_length": 16384})
