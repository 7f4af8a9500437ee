"""An endpoint that wirecheck starts itself: ``cmd:COMMAND ... {port} ...``.

The command runs in its own process group on a free loopback port, substituted for
``{port}`` (and ``{host}``).  wirecheck waits until the port accepts, runs the cases
over TCP, and at the end stops everything the command started, whatever happened.

"Everything" is more than the process group: a server may fork children that call
``setsid`` (leaving the group) or daemonize (its first process exits, a grandchild
serves).  Each started command carries a token in its environment, which every
descendant inherits; at the end the group is stopped, then every process holding the
token, then their descendants.  A process that both leaves the group and clears its
environment cannot be found this way: none that can be found is ever left running, and
one that is found but cannot be stopped is named in ``notes``.  The last
``OUTPUT_LIMIT`` bytes of the server's output are kept.
"""

from __future__ import annotations

import os
import secrets
import shlex
import socket
import subprocess
import tempfile
import time

from wirecheck.errors import EndpointUnavailable, TargetError

from . import processes
from .endpoint import TcpTarget

OUTPUT_LIMIT = 64 * 1024
#: Seconds a started server may take to listen (shortened by the run's deadline).
STARTUP_TIMEOUT = 15.0
#: The environment variable whose value marks the processes one started command owns.
TOKEN_VARIABLE = "WIRECHECK_TARGET_TOKEN"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class CommandTarget(TcpTarget):
    """A server started for the run, on a free port, and stopped with all its processes after it."""

    def __init__(self, command: str, startup_timeout: float = STARTUP_TIMEOUT, host: str = "127.0.0.1",
                 **tcp_options) -> None:  # fmt: skip
        if "{port}" not in command:
            raise TargetError("a cmd: target must contain {port}, where the server's port goes")
        port = free_port(host)
        self.command = command.replace("{port}", str(port)).replace("{host}", host)
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise TargetError(f"cannot parse the command: {exc}") from None
        if not argv:
            raise TargetError("the cmd: target is empty")
        super().__init__(host, port, **tcp_options)
        self.name = f"cmd:{self.command}"
        #: What the run should be told about the server's processes (a daemonized server, one that escaped).
        self.notes: list[str] = []
        self.token = secrets.token_hex(16)
        self._log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, TOKEN_VARIABLE: self.token},
            )  # fmt: skip
        except OSError as exc:
            self._log.close()
            raise TargetError(f"cannot start {argv[0]!r}: {exc.strerror or exc}") from None
        try:
            self._wait_until_listening(startup_timeout)
        except BaseException:
            self.close()
            raise

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        daemonized = False
        while True:
            if not daemonized and self.process.poll() is not None:
                if not processes.holding(TOKEN_VARIABLE, self.token):
                    raise EndpointUnavailable(
                        f"the server exited with code {self.process.returncode} before listening; "
                        f"its last output: {self.output()[-2000:]!r}"
                    )
                daemonized = True  # its first process is gone, but processes it started live on
                self.notes.append(
                    f"the server daemonized: its first process exited with code {self.process.returncode} "
                    "and its descendants serve; they are stopped at the end"
                )
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise EndpointUnavailable(
                        f"the server did not listen on {self.host}:{self.port} within {timeout:g}s"
                    ) from None
                time.sleep(0.02)

    def output(self) -> str:
        """The last OUTPUT_LIMIT bytes the server printed."""
        if self._log.closed:
            return ""
        self._log.flush()
        size = self._log.seek(0, os.SEEK_END)
        self._log.seek(max(0, size - OUTPUT_LIMIT))
        return self._log.read().decode("utf-8", "replace")

    def close(self) -> None:
        """Stop the process group, then every other process the command started: SIGTERM, then
        SIGKILL for what is still there after two seconds."""
        if self._log.closed:
            return
        for sig, grace in processes.STOP_SEQUENCE:
            left = self._signal_all(sig)
            if self.process.poll() is None:
                try:
                    self.process.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    pass
            if left:
                processes.wait_gone(left, until=time.monotonic() + grace)
            if self.process.poll() is not None and not processes.alive(left):
                break
        still = processes.alive(processes.holding(TOKEN_VARIABLE, self.token))
        if still:
            self.notes.append(f"processes the server started could not be stopped: pids {sorted(still)}")
        self._log.close()

    def _signal_all(self, sig: int) -> set:
        return processes.signal_tree(self.process.pid, TOKEN_VARIABLE, self.token, sig)
