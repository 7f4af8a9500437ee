"""twisted-client-numbered in-process, with no reactor:

    --target python:implementations/twisted-client-numbered/adapter.py:factory

The protocol runs over a transport shim (``_twisted_client.inprocess``).
"""

from __future__ import annotations

from _twisted_client.inprocess import TwistedAdapter

from .protocol import NumberedClient


def factory(max_length: int | None = None) -> TwistedAdapter:
    return TwistedAdapter(NumberedClient, max_length)
