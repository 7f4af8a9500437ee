"""Shared machinery of the bundled request/reply clients (docs/client-contract.md).

Not an implementation under test (no manifest): the client folders beside it import it by
path (``sys.path`` gets the ``implementations/`` folder) and keep only their protocol class,
a thin ``adapter.py`` and a thin ``client.py``.

- ``events``: the JSON event lines on standard output, and the crash and finish exits;
- ``app``: the contract's application: actions in, reply/error/notification events out,
  ``chain`` included, over any client session;
- ``actions``: the command-line options and the standard-input reader thread;
- ``session``: the requests forwarded to a protocol, and the finish, for the drivers and the
  in-process adapters;
- ``driver``: ``client.py`` for a Twisted protocol (reactor, crash observer);
- ``aio_driver``: ``client.py`` for an asyncio protocol;
- ``inprocess``: the in-process adapters (a transport shim for Twisted, a thin one for asyncio);
- ``notes``: the notes' notification methods and their one-Deferred client (the notes' stages
  and twisted-client-queue);
- ``robust``: the robust clients' logic on no framework (twisted-client-prefix, -numbered,
  asyncio-client), and ``twisted_robust``: that logic on a Twisted LineReceiver.
"""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # _twisted_client; appended: never shadows a library
