"""The ``wirecheck`` command line: one module per command, options in ``parser``.

Exit codes: 0 all passed, 1 a conformance failure (or lint errors), 2 a usage or
harness error.  Bad input gets a one-line message, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

from wirecheck.errors import WirecheckError
from wirecheck.run import EXIT_USAGE
from wirecheck.safetext import EscapingWriter

from .parser import build_parser


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (CI cancelling a job, `timeout`, a closed terminal): stopped exactly as
    Ctrl-C stops a run, so a ``cmd:`` server and every file being written are cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _terminate(signum: int, frame) -> None:
    raise Terminated(signum)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 with a usage message on bad arguments
    command = importlib.import_module(f"{__name__}.{args.command_module}")  # only the command's own imports
    # Whatever an endpoint or a server sent reaches messages: no control character gets through raw.
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(sys.stdout), EscapingWriter(sys.stderr)
    try:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _terminate)
        return command.main(args, sys.stdout)
    except WirecheckError as exc:
        print(f"wirecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated as exc:
        print(f"wirecheck: stopped by {exc}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("wirecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:
        if os.environ.get("WIRECHECK_DEBUG"):
            raise
        print(
            f"wirecheck: internal error: {type(exc).__name__}: {exc} (WIRECHECK_DEBUG=1 shows where)", file=sys.stderr
        )
        return EXIT_USAGE
    finally:
        sys.stdout, sys.stderr = streams


def entry_point() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `wirecheck run | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_USAGE
    raise SystemExit(code)
