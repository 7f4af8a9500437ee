"""Print a saved fuzz input as a golden-format vector: ``python -m wirecheck.fuzz.show PROTOCOL
[NAME=VALUE ...] INPUT`` (an input of ``inputs``' format, such as a crash file libFuzzer saved
from a library's own ``differential_fuzzer`` script), then the ``wirecheck replay`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wirecheck.checks import replay_case, replay_command, vector_json
from wirecheck.errors import WirecheckError

from .inputs import decode
from .standalone import config_of


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: python -m wirecheck.fuzz.show PROTOCOL [NAME=VALUE ...] INPUT", file=sys.stderr)
        return 2
    protocol, *pairs, path = argv[1:]
    params = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        params[name] = int(value) if value.isdigit() else value
    try:
        config = config_of(protocol, params)
        chunks = decode(Path(path).read_bytes()[: 1 << 24])
    except (WirecheckError, ValueError, OSError) as exc:
        print(f"wirecheck.fuzz.show: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(vector_json(replay_case(protocol, config, chunks))))
    print(replay_command(protocol, config, chunks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
