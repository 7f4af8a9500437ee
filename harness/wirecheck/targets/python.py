"""Python libraries driven in-process through a small adapter: ``--target python:MODULE:factory``.

``MODULE`` is a dotted module name (``mylib.wirecheck``) or a path to a ``.py`` file
(``implementations/asyncio/adapter.py``).  The factory is called once per delivery, as
``factory(protocol, params)`` with the vector group's parameters (``max_length``,
``delimiter`` as hex, Banana ``dialect`` and ``strict``, ...), and returns a session:

    session.feed(data: bytes) -> list      frames completed by ``data``, in order
                                           (bytes, or Banana values: int, float,
                                           bytes, nested lists)
    session.closed -> bool                 True once it has rejected the stream
                                           (it would drop the connection)
    session.pending -> bool                True while it holds part of a frame

An exception escaping ``feed`` is an error in the adapter (the verdict is "error",
with the exception): an adapter that wants an exception to mean "closed", as an
event loop would treat it, catches it and says so.  A factory that raises
NotImplementedError for a configuration makes those vectors "unimplemented".

A factory with the attribute ``handshakes = True`` is also given handshake
configurations (Banana's server and client roles); its sessions then have

    session.dialect -> str | None          the dialect agreed so far
    session.reply -> bytes                 what a client wrote back (its choice)

Without it, handshake configurations are "unimplemented".
docs/properties.md has a worked example; ``wirecheck.adapters.twisted`` and
``implementations/asyncio/adapter.py`` ship ready to use.
"""

from __future__ import annotations

from collections.abc import Sequence

from wirecheck import protocols
from wirecheck.checks import Target
from wirecheck.errors import TargetError, Unsupported
from wirecheck.modules import LoadError, load_attribute
from wirecheck.oracle import Observation
from wirecheck.vectors import Vector


def load_factory(spec: str):
    """``MODULE:factory`` -> the callable; TargetError with a clear message otherwise."""
    if ":" not in spec:
        raise TargetError(f"python:{spec}: expected python:package.module:factory or python:path/to/file.py:factory")
    try:
        factory = load_attribute(spec)
    except LoadError as exc:
        raise TargetError(f"python:{spec}: {exc}") from None
    if not callable(factory):
        raise TargetError(f"python:{spec}: {spec.rpartition(':')[2]} is not callable")
    return factory


class PythonTarget(Target):
    """A session per delivery from the adapter's factory; frames and state read back from it."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.name = f"python:{spec}"
        self.factory = load_factory(spec)
        #: The factory's declared ability: it also plays the sides of a handshake.
        self.handshakes = getattr(self.factory, "handshakes", False) is True

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        protocol = protocols.get(vector.protocol)
        handshake = protocol.handshake_role(vector.params) is not None
        if handshake and not self.handshakes:
            raise Unsupported(f"{self.name} plays peers (its factory does not set handshakes = True)")
        session, received, closed = self._fed(vector.protocol, vector.params, chunks)
        obs = Observation()
        for frame in received:
            try:
                obs.frames.append(protocols.frame_to_json(protocol, frame))
            except (TypeError, ValueError):
                obs.problems.append(f"the session returned a {type(frame).__name__}, not a frame")
                break
        if closed:
            obs.status = "close"
        elif session.pending:
            obs.status = "incomplete"
        if handshake:
            obs.dialect, obs.reply = session.dialect, bytes(session.reply).hex()
        return obs

    def quick_outcome(self, protocol: str, params: dict, chunks: Sequence[bytes]) -> tuple[list, str] | None:
        spec = protocols.get(protocol)
        if spec.structured or spec.handshake_role(params) is not None:
            return None
        session, received, closed = self._fed(protocol, params, chunks)
        return received, "close" if closed else "incomplete" if session.pending else "ok"

    def session(self, protocol: str, params: dict):
        try:
            session = self.factory(protocol, dict(params))
        except NotImplementedError as exc:
            raise Unsupported(f"{self.name} does not implement {protocol} {params}: {exc}") from None
        if session is None:
            raise Unsupported(f"{self.name} returned no session for {protocol} {params}")
        return session

    def _fed(self, protocol: str, params: dict, chunks: Sequence[bytes]) -> tuple[object, list, bool]:
        """A fresh session fed ``chunks`` until it closes: (session, what it returned, closed)."""
        session = self.session(protocol, params)
        received: list = []
        for chunk in chunks:
            received.extend(session.feed(bytes(chunk)) or ())
            if session.closed:
                return session, received, True
        return session, received, False
