"""twisted-client-clear-after in-process, with no reactor:

    --target python:implementations/twisted-client-clear-after/adapter.py:factory

The protocol runs over a transport shim (``_twisted_client.inprocess``).
"""

from __future__ import annotations

from _twisted_client.inprocess import TwistedAdapter

from .protocol import ClearAfterClient


def factory(max_length: int | None = None) -> TwistedAdapter:
    return TwistedAdapter(ClearAfterClient, max_length)
