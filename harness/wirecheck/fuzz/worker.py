"""One fuzzing process: ``python -m wirecheck.fuzz.worker JOB.json [libFuzzer options] CORPUS``.

``wirecheck fuzz`` starts one per ``--jobs`` and reads what it leaves: the failing inputs in
the job's raw directory (``BEHAVIOUR-SHA1``, a few per behaviour and the shortest), and a
status file with the executions and findings so far.  libFuzzer's own lines go to standard
error, which the parent reads for coverage.  A finding does not stop the process: the search
goes on for other behaviours until the budget is spent.

The library under test is instrumented, so that libFuzzer's coverage is of *its* code: a
``python:`` target's module (and everything it imports) is loaded under
``atheris.instrument_imports()``; for the reference, the codec's decoder is instrumented.
"""

from __future__ import annotations

import json
import os
import sys
import time
import types
from collections import Counter
from pathlib import Path

#: Failing inputs kept per behaviour (beyond them only shorter ones): the parent minimizes a few.
KEEP_PER_BEHAVIOUR = 4
#: Seconds between status files.
STATUS_EVERY = 0.5


def _instrumented_target(atheris, spec: str, protocol: str, params: dict):
    import wirecheck.targets  # imported before instrumenting: only the library's code is measured
    from wirecheck import protocols
    from wirecheck.run.options import make_target

    if spec == "reference":  # the codec's decoders, of a subclass with instrumented copies of its methods
        make = protocols.get(protocol).decoder
        codec = type(make(params))
        methods = {
            name: atheris.instrument_func(_copy(value))
            for name, value in vars(codec).items()
            if isinstance(value, types.FunctionType)
        }
        instrumented = type(codec.__name__, (codec,), {**methods, "__slots__": ()})

        def decoder(config: dict):
            made = make(config)
            made.__class__ = instrumented
            return made

        return wirecheck.targets.ReferenceTarget(decoder)
    with atheris.instrument_imports(exclude=sorted(sys.stdlib_module_names)):  # the library, not Python's own
        target = make_target(spec)
    module = sys.modules.get(getattr(target.factory, "__module__", ""))
    if module is not None and module.__name__.startswith(LOADED_FROM_A_FILE) and "." not in module.__name__:
        _instrument_module(atheris, module)  # loaded from its path, past the import hook
    return target


#: The prefix of the names wirecheck gives modules it loads from a file (``wirecheck.modules``);
#: a top-level one is executed without going through the import system.
LOADED_FROM_A_FILE = "_wirecheck_loaded_"


def _instrument_module(atheris, module) -> None:
    """Instrument the functions and the classes' methods defined in ``module``, in place."""
    for name, value in list(vars(module).items()):
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            setattr(module, name, atheris.instrument_func(value))
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for attr, method in list(vars(value).items()):
                if isinstance(method, types.FunctionType):
                    setattr(value, attr, atheris.instrument_func(method))


def _copy(function: types.FunctionType) -> types.FunctionType:
    """A function of its own (instrumenting rewrites the code of the one it is given)."""
    copied = types.FunctionType(function.__code__, function.__globals__, function.__name__,
                                function.__defaults__, function.__closure__)  # fmt: skip
    copied.__kwdefaults__ = function.__kwdefaults__
    return copied


def _write_status(path: Path, executions: int, counts: Counter) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"executions": executions, "findings": dict(counts)}))
    os.replace(tmp, path)


def main(argv: list[str]) -> None:
    import atheris

    from wirecheck.fuzz.differential import Differential
    from wirecheck.fuzz.inputs import Mutator, name_of

    job = json.loads(Path(argv[1]).read_text())
    protocol, params = job["protocol"], job["params"]
    raw, status = Path(job["raw"]), Path(job["status"])
    target = _instrumented_target(atheris, job["target"], protocol, params)
    check = Differential(target, protocol, params).check
    counts: Counter = Counter()
    shortest: dict[str, int] = {}
    last = [0.0]

    def one_input(data: bytes) -> None:
        found = check(data)
        now = time.monotonic()
        if found is not None:
            counts[found.behaviour] += 1
            if counts[found.behaviour] <= KEEP_PER_BEHAVIOUR or len(data) < shortest[found.behaviour]:
                shortest[found.behaviour] = min(len(data), shortest.get(found.behaviour, len(data)))
                (raw / f"{found.behaviour}-{name_of(data)}").write_bytes(data)
        if now - last[0] >= STATUS_EVERY:
            last[0] = now
            _write_status(status, check.__self__.executions, counts)

    # atheris.Setup replaces atheris.Mutate with libFuzzer's: look it up when called, not now.
    mutator = Mutator(protocol, params, lambda data, size: atheris.Mutate(data, size))
    atheris.Setup([argv[0], *argv[2:]], one_input, custom_mutator=mutator)
    try:
        atheris.Fuzz()
    finally:
        _write_status(status, check.__self__.executions, counts)


if __name__ == "__main__":
    main(sys.argv)
