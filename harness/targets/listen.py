"""Client mode: wirecheck listens, and the endpoint under test connects, once per case.

Every accepted connection gets the next delivery.  The endpoint echoes as in
docs/endpoint-contract.md.  For Banana, wirecheck plays the server: for ``peer``
vectors it offers the group's dialect and expects the client to choose it; for
``client`` vectors the offer is the vector's own input, and the client's answer
(dialect and reply bytes) is checked too.
"""

from __future__ import annotations

import socket

from harness.codecs import banana
from harness.vectors import Vector

from .base import EndpointUnavailable, TargetTimeout, Unsupported
from .tcp import TcpTarget, _EchoReader


class ListenTarget(TcpTarget):
    def __init__(self, host: str, port: int, **tcp_options) -> None:
        super().__init__(host, port, **tcp_options)
        try:
            self.server = socket.create_server((host, port), backlog=64, reuse_port=False)
        except OSError as exc:
            raise EndpointUnavailable(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.host, self.port = self.server.getsockname()[:2]
        self.name = f"listen://{self.host}:{self.port}"

    def _connect(self) -> socket.socket | None:
        self.server.settimeout(self.timeout)
        try:
            sock, _ = self.server.accept()
        except TimeoutError:
            raise TargetTimeout(f"no client connected to {self.host}:{self.port} within {self.timeout}s") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _banana_plan(self, vector: Vector) -> tuple[bytes | None, bool]:
        role = vector.params.get("role")
        if role == "server":
            raise Unsupported("the Banana server role is tested with --target, not --listen")
        if role == "peer":
            return vector.params["dialect"].encode(), True
        return (vector.expected.dialect or "none").encode(), False

    def _offer_for(self, vector: Vector) -> list:
        if vector.params.get("role") == "peer":
            return [vector.params["dialect"].encode()]
        (offer, *_) = banana.BananaDecoder(b"none").feed(vector.input) or [[]]
        return offer if isinstance(offer, list) else []

    def _echo_reader(self, vector: Vector, encode, dialect: bytes | None) -> _EchoReader:
        if vector.protocol != "banana":
            return super()._echo_reader(vector, encode, dialect)
        return _EchoReader(vector, encode, self.read_limit, dialect, choice_from=self._offer_for(vector))

    def _open_banana(self, sock, vector: Vector, dialect: bytes, choose: bool, started: float, note, echo) -> bool:
        if choose:  # peer vectors: we offer the group's dialect; the client's choice comes back first
            offer = banana.encode([dialect], dialect=None)
            sock.sendall(offer)
            note("send-offer", 0, offer)
        return True

    def close(self) -> None:
        self.server.close()
