"""What the application was told, one JSON object per line on standard output; the exits.

Every line is flushed as it is written.  A crash writes its traceback to standard error and
leaves at once with ``os._exit`` (no reactor, loop or thread is waited for), as does the finish.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import NoReturn

#: Exit status of a crash (EX_SOFTWARE) and of a connection that could not be made.
CRASH_EXIT = 70
CONNECT_FAILED_EXIT = 2


def _hex(data) -> str:
    return bytes(data).hex()


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def reply(request_id: str, data: bytes) -> None:
    emit({"event": "reply", "id": request_id, "data": _hex(data)})


def error(request_id: str, reason: str) -> None:
    emit({"event": "error", "id": request_id, "reason": reason})


def notification(data: bytes) -> None:
    emit({"event": "notification", "data": _hex(data)})


def unexpected(data: bytes) -> None:
    emit({"event": "unexpected", "data": _hex(data)})


def warn(text: str) -> None:
    """A remark on standard error (never a traceback: that would read as a crash)."""
    try:
        sys.stderr.write(f"warning: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def leave(code: int) -> NoReturn:
    """Exit now with ``code``, the output flushed first."""
    _flush()
    os._exit(code)


def connect_failed(host: str, port: int, why: str) -> NoReturn:
    """The connection could not be made: say so on standard error, exit 2."""
    sys.stderr.write(f"cannot connect to {host}:{port}: {why}\n")
    leave(CONNECT_FAILED_EXIT)


def crash(text: str) -> NoReturn:
    """The client itself failed: ``text`` (a traceback) on standard error, exit 70."""
    try:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
    except (OSError, ValueError):
        pass
    leave(CRASH_EXIT)


def crash_here() -> NoReturn:
    """``crash`` with the traceback of the exception being handled."""
    crash(traceback.format_exc())


def describe(exc: BaseException) -> str:
    """An error's reason as the events give it: ``Type: message``."""
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
