"""A robust request/reply client on asyncio: the line framing by hand, a FIFO of futures.

- lines end in LF; a line longer than ``max_length`` bytes (or that many bytes and more with
  no LF yet) is a framing error: the client fails every pending request with
  ``LineTooLong``, closes the connection and reads nothing more;
- a line starting with ``notif:`` is a notification in notification mode (from the moment
  ``notify`` is sent until the reply to the last ``stop_notify``, unless a ``notify`` was sent
  after it) and unexpected otherwise: it is never a reply;
- any other line is the reply to the oldest pending request, taken off the queue before its
  future is resolved; with none pending it is unexpected (ignored, reported through
  ``on_unexpected`` when it is set);
- when the connection is lost every pending request fails (``ConnectionError``), and a request
  made after that fails at once.

``command`` returns an ``asyncio.Future`` of the running loop; with no loop running (the
in-process adapter driven without one) it returns a loop-free ``Waiter`` that can be awaited
later.  ``on_notification`` and ``on_unexpected`` are called as a future's done-callbacks
are (``loop.call_soon``), so that the application is told of the lines in the order they came.

The request/reply logic is ``_twisted_client.robust`` (framework-free, shared with
twisted-client-prefix and -numbered); this module gives it the framing, the futures and the loop.
"""

from __future__ import annotations

import asyncio

from _twisted_client.robust import RobustClient


class LineTooLong(Exception):
    """The server sent a line longer than the client accepts."""


class Waiter:
    """A request's outcome with no event loop: the subset of ``asyncio.Future`` this client
    uses, done-callbacks called at once; awaiting it (in a running loop) gives the reply."""

    def __init__(self) -> None:
        self._done = False
        self._result: bytes | None = None
        self._exception: BaseException | None = None
        self._callbacks: list = []

    def done(self) -> bool:
        return self._done

    def cancelled(self) -> bool:
        return False

    def result(self) -> bytes | None:
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self) -> BaseException | None:
        return self._exception

    def set_result(self, result: bytes) -> None:
        self._result = result
        self._finish()

    def set_exception(self, exception: BaseException) -> None:
        self._exception = exception
        self._finish()

    def add_done_callback(self, callback) -> None:
        if self._done:
            callback(self)
        else:
            self._callbacks.append(callback)

    def _finish(self) -> None:
        self._done = True
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(self)

    def __await__(self):
        if not self._done:
            future = asyncio.get_running_loop().create_future()

            def transfer(waiter: Waiter) -> None:
                if future.done():
                    return
                if waiter._exception is not None:
                    future.set_exception(waiter._exception)
                else:
                    future.set_result(waiter._result)

            self.add_done_callback(transfer)
            return (yield from future.__await__())
        return self.result()


def _new_waiter():
    try:
        return asyncio.get_running_loop().create_future()
    except RuntimeError:
        return Waiter()


class LineClientProtocol(RobustClient, asyncio.Protocol):
    delimiter = b"\n"

    def __init__(self, max_length: int = 16384) -> None:
        super().__init__()
        self.max_length = max_length
        self.transport = None
        self.buffer = bytearray()

    # asyncio callbacks
    # -----------------
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.closed is not None:
            return
        self.buffer += data
        while self.closed is None:
            end = self.buffer.find(self.delimiter)
            if end < 0:
                if len(self.buffer) > self.max_length:
                    self._framing_error()
                return
            if end > self.max_length:
                self._framing_error()
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + len(self.delimiter)]
            self.line_received(line)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self.closed is None:
            reason = ConnectionError("connection closed" if exc is None else f"connection lost: {exc}")
            self._fail_all(reason)

    def _framing_error(self) -> None:
        self.buffer.clear()
        self._fail_all(LineTooLong(f"a line longer than {self.max_length} bytes"))
        self.transport.close()

    # the binding of RobustClient: futures (or waiters), the transport, the loop
    # --------------------------------------------------------------------------
    @staticmethod
    def _new_handle():
        return _new_waiter()

    @staticmethod
    def _failed_handle(reason: BaseException):
        waiter = _new_waiter()
        waiter.set_exception(reason)
        return waiter

    @staticmethod
    def _resolve(waiter, reply: bytes) -> None:
        if not waiter.done():  # the application may have cancelled it
            waiter.set_result(reply)

    @staticmethod
    def _reject(waiter, reason: BaseException) -> None:
        if not waiter.done():
            waiter.set_exception(reason)

    def _send(self, line: bytes) -> None:
        self.transport.write(line + self.delimiter)

    @staticmethod
    def _tell(hook, line: bytes) -> None:
        """Call ``hook`` the way a future tells its reply: on the next loop turn when a loop runs
        (so the application hears of the lines in the order they came), at once with none."""
        if hook is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            hook(line)
        else:
            loop.call_soon(hook, line)
