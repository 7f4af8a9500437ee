"""The application side of an in-process client: actions in, what the application was told out.

It does to an adapter (docs/client-contract.md) what a client command does with its standard
input: ``request``, ``chain`` (sent from inside the callback that delivers the parent's
reply), ``notify``, ``stop_notify``; and it writes down, as ``Event`` objects, every reply,
error, notification and unexpected frame.  A result may be a Twisted ``Deferred`` (or
anything with ``addCallbacks``) or an awaitable.  An exception that escapes the client is
not swallowed: it is raised as ``ClientCrashed`` for the runner to report.
"""

from __future__ import annotations

import asyncio
import inspect

from .scenario import Event


class ClientCrashed(Exception):
    """The client under test raised; ``str()`` names the exception."""


def describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _reason(failure: object) -> str:
    value = getattr(failure, "value", failure)  # a Twisted Failure carries the exception
    return describe(value) if isinstance(value, BaseException) else str(value)[:300]


def _data(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    return repr(value).encode()


class Application:
    """Performs action lines on ``client`` and records ``events``."""

    def __init__(self, client) -> None:
        self.client = client
        self.events: list[Event] = []
        self.waiting: set[str] = set()  # requests with no reply or error yet
        self.crash = ""
        self._chains: dict[str, list[tuple[str, bytes]]] = {}
        self._last = ""
        self._tasks: set = set()
        client.on_notification = lambda data: self.events.append(Event("notification", data=_data(data)))
        client.on_unexpected = lambda data: self.events.append(Event("unexpected", data=_data(data)))

    def perform(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word in ("notify", "stop_notify"):  # not a parent for chain: only request and chain lines are
            self._send(word, word.encode())
        elif word == "request":
            rid, _, text = rest.partition(" ")
            self._last = rid
            self._send(rid, text.encode())
        elif word == "chain":
            rid, _, text = rest.partition(" ")
            self._chains.setdefault(self._last, []).append((rid, text.encode()))
            self.waiting.add(rid)
            self._last = rid

    def _send(self, rid: str, text: bytes) -> None:
        self.waiting.add(rid)
        try:
            if rid == "notify":
                result = self.client.notify()
            elif rid == "stop_notify":
                result = self.client.stop_notify()
            else:
                result = self.client.request(text)
        except Exception as exc:
            self.crash = self.crash or describe(exc)
            raise ClientCrashed(self.crash) from exc
        self._watch(rid, result)

    def _watch(self, rid: str, result) -> None:
        if hasattr(result, "addCallbacks"):
            result.addCallbacks(lambda value: self._reply(rid, value), lambda failure: self._error(rid, failure))
        elif inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            self._tasks.add(task)
            task.add_done_callback(lambda t: self._settled(rid, t))
        else:
            self._error(rid, f"request() returned {type(result).__name__}, not a Deferred or an awaitable")

    def _settled(self, rid: str, task) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            self._error(rid, "cancelled")
        elif task.exception() is not None:
            self._error(rid, task.exception())
        else:
            self._reply(rid, task.result())

    def _reply(self, rid: str, value) -> None:
        self.events.append(Event("reply", rid, _data(value)))
        self.waiting.discard(rid)
        for child, text in self._chains.pop(rid, ()):  # sent from inside the reply's callback
            try:
                self._send(child, text)
            except ClientCrashed:
                pass  # recorded in self.crash; a Deferred would swallow it here
        return value

    def _error(self, rid: str, failure) -> None:
        self.events.append(Event("error", rid, reason=_reason(failure)))
        self.waiting.discard(rid)
        todo = [rid]
        while todo:  # what was chained to a failed request is never sent
            for child, _ in self._chains.pop(todo.pop(), ()):
                self.events.append(Event("error", child, reason=f"not sent: request {rid} failed"))
                self.waiting.discard(child)
                todo.append(child)
        return None
