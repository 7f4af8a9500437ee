"""asyncio-client in-process: ``--target python:implementations/asyncio-client/adapter.py:factory``.

``request`` returns an ``asyncio.Future`` when called in a running loop, otherwise a coroutine
to await (``_twisted_client.inprocess.AsyncioAdapter``).
"""

from __future__ import annotations

from _twisted_client.inprocess import AsyncioAdapter

from .protocol import LineClientProtocol


def factory(max_length: int | None = None) -> AsyncioAdapter:
    return AsyncioAdapter(LineClientProtocol, max_length)
