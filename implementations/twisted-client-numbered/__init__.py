"""twisted-client-numbered: numbered requests, replies matched through a dict of Deferreds.

A client under test of docs/client-contract.md (protocol.py, adapter.py, client.py, manifest.json).
"""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # _twisted_client; appended: never shadows a library
