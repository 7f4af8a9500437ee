"""The command line of every bundled client, and its standard input read off the event loop.

Standard input is read by a daemon thread, line by line as it arrives, and each line (then
the end of input) is handed to the event loop through ``post`` (``reactor.callFromThread``,
``loop.call_soon_threadsafe``), so the loop never blocks on it.  The process leaves with
``os._exit``, so the thread is never waited for.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable


def parse_args(argv: list[str] | None, description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-length", type=int, default=16384, help="longest line accepted (default 16384)")
    return parser.parse_args(argv)


def read_stdin(post: Callable, on_line: Callable[[bytes], None], on_end: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        stream = sys.stdin.buffer
        while True:
            line = stream.readline()
            if not line:
                break
            post(on_line, line)
        post(on_end)

    thread = threading.Thread(target=run, name="stdin-actions", daemon=True)
    thread.start()
    return thread
