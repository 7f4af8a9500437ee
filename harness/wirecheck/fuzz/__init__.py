"""Fuzzing: coverage-guided (atheris) for in-process targets, the properties for endpoints.

    wirecheck fuzz --protocol netstring --target python:mylib.adapter:factory --seconds 60

``inputs`` is the input format (a stream and its reads) and the protocol-aware mutator;
``differential`` checks one input against the oracle; ``worker`` is the atheris process;
``campaign`` runs workers and reports progress; ``blind`` fuzzes an endpoint with the
properties; ``findings`` minimizes, names and saves what was found; ``invariants`` holds the
reference codecs' own invariants, which the scripts in ``fuzz/`` fuzz; ``standalone`` is for a
library's own fuzz script and ``show`` reads its inputs; ``seeds`` writes seed corpora from the
vectors.  atheris is imported only when a fuzzer runs.
"""

from .differential import Differential, Divergence
from .findings import FuzzFinding, save, settle
from .inputs import MAX_CUTS, Mutator, decode, encode
from .standalone import Divergent, differential_fuzzer, one_of

__all__ = [
    "MAX_CUTS",
    "Differential",
    "Divergence",
    "Divergent",
    "FuzzFinding",
    "Mutator",
    "decode",
    "differential_fuzzer",
    "encode",
    "one_of",
    "save",
    "settle",
]
