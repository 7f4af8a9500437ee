"""Python libraries driven in-process through a small adapter: ``--target python:package.module:factory``.

The factory is called once per delivery, as ``factory(protocol, params)`` with the
vector group's parameters (``max_length``, ``delimiter`` as hex, Banana ``dialect``
and ``strict``), and returns a session object:

    session.feed(data: bytes) -> list      frames completed by ``data``, in order
                                           (bytes, or Banana values: int, float,
                                           bytes, nested lists)
    session.closed -> bool                 True once it has rejected the stream
                                           (it would drop the connection)
    session.pending -> bool                True while it holds part of a frame

An exception escaping ``feed`` is an error in the adapter (the verdict is "error",
with the exception): an adapter that wants an exception to mean "closed", as an
event loop would treat it, catches it and says so.  A factory that raises NotImplementedError for a
configuration makes those vectors "unimplemented".  docs/python-targets.md has
worked examples; harness.adapters.twisted and implementations.asyncio_impl.adapter
ship ready to use.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from harness.oracle import Observation
from harness.targets.base import TargetError, Unsupported
from harness.vectors import Vector
from harness.vectors.values import to_json


def load_factory(spec: str):
    """``package.module:factory`` -> the callable; TargetError with a clear message otherwise."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise TargetError(f"python:{spec}: expected python:package.module:factory")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise TargetError(f"python:{spec}: cannot import {module_name}: {exc}") from None
    except Exception as exc:  # importing user code may fail in any way; say so, do not crash
        raise TargetError(f"python:{spec}: importing {module_name} failed: {type(exc).__name__}: {exc}") from None
    factory = module
    for part in attr.split("."):
        factory = getattr(factory, part, None)
        if factory is None:
            raise TargetError(f"python:{spec}: {module_name} has no attribute {attr}")
    if not callable(factory):
        raise TargetError(f"python:{spec}: {attr} is not callable")
    return factory


class PythonTarget:
    reports_reasons = False

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.name = f"python:{spec}"
        self.factory = load_factory(spec)

    def deliver(self, vector: Vector, chunks: Sequence[bytes]) -> Observation:
        if vector.params.get("role", "peer") != "peer":
            raise Unsupported("python: targets play Banana peers; handshakes need a socket endpoint")
        try:
            session = self.factory(vector.protocol, dict(vector.params))
        except NotImplementedError as exc:
            raise Unsupported(f"{self.name} does not implement {vector.protocol} {vector.params}: {exc}") from None
        if session is None:
            raise Unsupported(f"{self.name} returned no session for {vector.protocol} {vector.params}")
        received: list = []
        closed = False
        for chunk in chunks:
            received.extend(session.feed(bytes(chunk)) or ())
            if session.closed:
                closed = True
                break
        obs = Observation()
        for frame in received:
            try:
                obs.frames.append(to_json(frame) if vector.protocol == "banana" else bytes(frame).hex())
            except (TypeError, ValueError):
                obs.problems.append(f"the session returned a {type(frame).__name__}, not a frame")
                break
        if closed:
            obs.status = "close"
        elif session.pending:
            obs.status = "incomplete"
        return obs
