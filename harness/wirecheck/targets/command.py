"""An endpoint that wirecheck starts itself: ``cmd:COMMAND ... {port} ...``.

The command runs in its own process group on a free loopback port, substituted for
``{port}`` (and ``{host}``).  wirecheck waits until the port accepts, runs the cases
over TCP, and at the end stops the whole group (SIGTERM, then SIGKILL), whatever
happened.  The last ``OUTPUT_LIMIT`` bytes of the server's output are kept.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time

from wirecheck.errors import EndpointUnavailable, TargetError

from .endpoint import TcpTarget

OUTPUT_LIMIT = 64 * 1024


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class CommandTarget(TcpTarget):
    """A server started for the run, on a free port, and stopped with its process group after it."""

    def __init__(self, command: str, startup_timeout: float = 15.0, host: str = "127.0.0.1", **tcp_options) -> None:
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
        self._log = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
            )
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
        while True:
            if self.process.poll() is not None:
                raise EndpointUnavailable(
                    f"the server exited with code {self.process.returncode} before listening; output:\n{self.output()}"
                )
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise EndpointUnavailable(
                        f"the server did not listen on {self.host}:{self.port} within {timeout}s"
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
        """Stop the whole process group: SIGTERM, then SIGKILL after two seconds."""
        if self.process.poll() is None:
            for sig, grace in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        else:
            try:  # the leader is gone; its children may not be
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._log.close()
