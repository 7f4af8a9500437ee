"""Seed corpora from the golden vectors: ``python -m wirecheck.fuzz.seeds PROTOCOL OUT.zip|DIR``.

Every vector of ``PROTOCOL`` (in every configuration the vector files name) as a fuzz input
(``inputs``: its stream and its reads), zipped the way ClusterFuzzLite and OSS-Fuzz pick up a
fuzzer's ``NAME_seed_corpus.zip``.  ``wirecheck fuzz`` seeds its corpus from the same vectors.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from wirecheck import vectors
from wirecheck.errors import WirecheckError

from .inputs import encode, name_of


def seed_inputs(protocol: str, max_len: int = 1 << 16) -> list[bytes]:
    """The vectors of ``protocol``, every configuration, as inputs of at most ``max_len`` bytes."""
    out: dict[str, bytes] = {}
    for vector in vectors.instances(vectors.load(), [protocol]).vectors:
        data = encode(list(vector.chunks) if vector.chunks else [vector.input])
        if len(data) <= max_len:
            out[name_of(data)] = data
    return list(out.values())


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m wirecheck.fuzz.seeds PROTOCOL OUT.zip|DIR", file=sys.stderr)
        return 2
    protocol, target = argv[1], Path(argv[2])
    try:
        inputs = seed_inputs(protocol)
    except WirecheckError as exc:
        print(f"wirecheck.fuzz.seeds: error: {exc}", file=sys.stderr)
        return 2
    if target.suffix != ".zip":  # a corpus directory, as libFuzzer reads one
        target.mkdir(parents=True, exist_ok=True)
        for data in inputs:
            (target / name_of(data)).write_bytes(data)
    else:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for data in inputs:
                archive.writestr(name_of(data), data)
    print(f"{len(inputs)} seed inputs for {protocol} in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
