"""The contract's application, over any client session (Twisted or asyncio).

Actions come in as lines (``request ID TEXT``, ``chain ID TEXT``, ``notify``, ``stop_notify``,
then the end of input); what the client delivers goes out as events.  A session is the
small interface the drivers give a protocol:

- ``request(text)``, ``notify()``, ``stop_notify()``: send, return the client's handle (a
  Deferred, a Future); whatever they raise is a crash of the client;
- ``settle(handle, on_reply, on_error)``: call ``on_reply(data)`` or ``on_error(reason)``
  once the handle fires;
- ``close()``: close the connection and exit 0 (the finish).

A ``chain`` request is sent from inside the callback that delivers the reply to the request
of the request/chain line before it, right after that reply's event is written.
"""

from __future__ import annotations

from . import events

HELD, SENT, REPLIED, FAILED = "held", "sent", "replied", "failed"


class Request:
    __slots__ = ("children", "id", "kind", "state", "text")

    def __init__(self, request_id: str, kind: str, text: bytes) -> None:
        self.id = request_id
        self.kind = kind  # "request", "notify" or "stop_notify"
        self.text = text
        self.state = HELD
        self.children: list[Request] = []  # chain requests sent when this one's reply arrives


class Application:
    def __init__(self, session) -> None:
        self.session = session
        self.outstanding = 0  # requests without their reply or error yet (held chains included)
        self.last: Request | None = None  # the request of the last request/chain line
        self.finishing = False
        self.closed = False

    # what the client tells the application
    # -------------------------------------
    def notification(self, data: bytes) -> None:
        events.notification(data)

    def unexpected(self, data: bytes) -> None:
        events.unexpected(data)

    # actions
    # -------
    def action(self, line: bytes) -> None:
        line = line.rstrip(b"\n")
        if line.endswith(b"\r"):
            line = line[:-1]
        word, _, rest = line.partition(b" ")
        if word in (b"request", b"chain"):
            raw_id, _, text = rest.partition(b" ")
            request = Request(raw_id.decode("utf-8", "replace"), "request", text)
            self.outstanding += 1
            parent, self.last = self.last, request
            if word == b"request":
                self._send(request)
            else:
                self._chain(parent, request)
        elif word in (b"notify", b"stop_notify") and not rest:
            self.outstanding += 1
            self._send(Request(word.decode(), word.decode(), word))
        elif line.strip():
            events.warn(f"ignored an unknown action: {line!r}")

    def end_of_input(self) -> None:
        self.finishing = True
        self._maybe_close()

    # internals
    # ---------
    def _chain(self, parent: Request | None, request: Request) -> None:
        if parent is None:
            self._failed(request, "refused: a chain line with no request before it")
        elif parent.state in (HELD, SENT):
            parent.children.append(request)
        elif parent.state == REPLIED:
            self._send(request)  # the reply came before the line: send it now
        else:
            self._failed(request, f"not sent: request {parent.id} failed")

    def _send(self, request: Request) -> None:
        request.state = SENT
        try:
            if request.kind == "notify":
                handle = self.session.notify()
            elif request.kind == "stop_notify":
                handle = self.session.stop_notify()
            else:
                handle = self.session.request(request.text)
        except BaseException:  # an assertion or any exception of the client's command(): a crash
            events.crash_here()
        self.session.settle(handle, lambda data: self._replied(request, data), lambda why: self._errored(request, why))

    def _replied(self, request: Request, data: bytes) -> None:
        try:
            if request.state != SENT:  # a second delivery to one request: say it, as the client did
                events.reply(request.id, data)
                return
            request.state = REPLIED
            self.outstanding -= 1
            events.reply(request.id, data)
            children, request.children = request.children, []
            for child in children:
                self._send(child)  # from inside the callback delivering the reply
            self._maybe_close()
        except BaseException:
            events.crash_here()

    def _errored(self, request: Request, reason: str) -> None:
        try:
            if request.state != SENT:
                events.error(request.id, reason)
                return
            self._failed(request, reason)
            self._maybe_close()
        except BaseException:
            events.crash_here()

    def _failed(self, request: Request, reason: str) -> None:
        """``request`` failed, and with it the chain requests waiting for its reply."""
        request.state = FAILED
        self.outstanding -= 1
        events.error(request.id, reason)
        children, request.children = request.children, []
        for child in children:
            self._failed(child, f"not sent: request {request.id} failed")

    def _maybe_close(self) -> None:
        if self.finishing and self.outstanding == 0 and not self.closed:
            self.closed = True
            self.session.close()
