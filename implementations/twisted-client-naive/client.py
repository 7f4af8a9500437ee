"""twisted-client-naive over TCP on the Twisted reactor (docs/client-contract.md, the command).

    python client.py --host 127.0.0.1 --port 6789 [--max-length 16384]

Actions on standard input, events on standard output; ``_twisted_client`` does the work.
"""

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from _twisted_client.driver import main
from protocol import NaiveClient

if __name__ == "__main__":
    main(NaiveClient)
