"""Fuzzers outside ``wirecheck fuzz``: a library's own libFuzzer script, and reading its inputs.

    import sys, atheris
    from wirecheck.fuzz import differential_fuzzer
    atheris.Setup(sys.argv, differential_fuzzer("netstring", "python:mylib.wirecheck:factory", max_length=1000))
    atheris.Fuzz()

The returned callable raises ``Divergent`` (an AssertionError, so libFuzzer saves the input and
stops, as ClusterFuzzLite expects) on the first input the target gets wrong, with what was
expected, what was observed and the ``wirecheck replay`` command.
``python -m wirecheck.fuzz.show PROTOCOL [NAME=VALUE ...] INPUT`` prints a saved input as a
golden-format vector, with its replay command.
"""

from __future__ import annotations

from collections.abc import Callable

from wirecheck import protocols
from wirecheck.checks import replay_command

from .differential import Differential


class Divergent(AssertionError):
    """The target did not do what the oracle allows with this input."""


def config_of(protocol: str, params: dict) -> dict:
    spec = protocols.get(protocol)
    configs = protocols.stream_configs(spec, params)
    if not configs:
        raise ValueError(f"{protocol} {params}: no stream configuration")
    return configs[0]


def differential_fuzzer(protocol: str, target: str, known=None, **params) -> Callable[[bytes], None]:
    """libFuzzer's entry point: ``target`` (``python:...`` or ``reference``, loaded with its imports
    instrumented for coverage) against the oracle, in ``protocol`` configured with ``params``.
    ``known(divergence) -> bool`` masks documented divergences: those it accepts are not findings."""
    import atheris

    from .worker import _instrumented_target

    config = config_of(protocol, params)
    check = Differential(_instrumented_target(atheris, target, protocol, config), protocol, config).check

    def one_input(data: bytes) -> None:
        found = check(data)
        if found is not None and not (known is not None and known(found)):
            replay = replay_command(protocol, config, found.chunks, target)
            raise Divergent(f"{found.behaviour}: {found.problem}\n  replay: {replay}")

    return one_input


def one_of(*fuzzers: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """One entry point for several fuzzers: an input's first byte picks one, the rest is its input."""

    def one_input(data: bytes) -> None:
        if data:
            fuzzers[data[0] % len(fuzzers)](data[1:])

    return one_input
