"""Running a property: Hypothesis generates and shrinks, our reducer finishes, a result comes back.

    from wirecheck.checks import check_property
    check_property(target, "split_independence", "line", {"max_length": 64})

``check_property`` raises ``PropertyFailure`` (an AssertionError) carrying the shrunk
example as a golden-format vector and the ``wirecheck replay`` command that runs it
again; ``run_property`` returns the same as a ``PropertyResult`` instead.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as seeded
from hypothesis.errors import Flaky, HypothesisWarning

from wirecheck.errors import EndpointUnavailable, RunDeadline, TargetTimeout, Unsupported
from wirecheck.oracle import Observation
from wirecheck.strategies import config
from wirecheck.vectors import Vector

from .behaviours import sentence
from .case import Case, digest, vector_json
from .definitions import PROPERTIES, behaviour_of, check_case, example_behaviour
from .reduce import reduce
from .replay import replay_command
from .target import as_target
from .verdict import Verdict

#: Vectors longer than this (as JSON) are not printed in a report, only saved and replayable.
PRINT_VECTOR_UP_TO = 4096


@dataclass
class Finding:
    """One distinct behaviour a property found, shrunk on its own."""

    behaviour: str
    detail: str
    vector: Vector
    observed: Observation | None
    replay: str


@dataclass
class PropertyResult:
    name: str
    protocol: str
    params: dict
    verdict: Verdict = Verdict.PASS
    examples: int = 0
    duration: float = 0.0
    seed: int = 0
    detail: str = ""
    vector: Vector | None = None
    observed: Observation | None = None
    replay: str = ""
    flaky: bool = False
    #: The deadline passed before every example ran.
    cut_short: bool = False
    #: The behaviour of the failure shown above (the first found); every one is in ``findings``.
    behaviour: str = ""
    findings: list[Finding] = field(default_factory=list)

    def report(self) -> str:
        """A multi-line account of a failure: each behaviour found, its vector and replay command."""
        head = (f"{self.verdict.word:10} property {self.name} ({self.protocol} {json.dumps(self.params)}), "
                f"after {self.examples} examples (seed {self.seed})")  # fmt: skip
        if not self.findings:
            return f"{head}: {self.detail}"
        lines = [head + (f": {len(self.findings)} behaviours" if len(self.findings) > 1 else ":")]
        for finding in self.findings:
            lines.append(f"  {finding.behaviour}: it {sentence(finding.behaviour)}")
            lines.append(f"    {finding.detail}")
            text = json.dumps(vector_json(finding.vector))
            if len(text) <= PRINT_VECTOR_UP_TO:
                lines.append(f"    shrunk to this vector (for a {self.protocol} group of vectors/"
                             f"{finding.vector.family}.json with params {json.dumps(self.params)}):")  # fmt: skip
                lines.append("      " + text)
            else:
                lines.append(f"    shrunk to a vector of {len(finding.vector.input)} bytes ({len(text)} characters "
                             "of JSON): it is in the JSON results, and replay --print-vector prints it")  # fmt: skip
            lines.append(f"    replay: {finding.replay}")
        if self.flaky:
            lines.append("  (a failure did not fail again when replayed: timing-dependent)")
        return "\n".join(lines)


class _Stop(BaseException):
    """Out of time, or the target gone, with no failure found: ends a property's Hypothesis run at
    once.  A BaseException, so that Hypothesis neither treats it as a failure nor shrinks it."""


class PropertyFailure(AssertionError):
    def __init__(self, result: PropertyResult) -> None:
        super().__init__(result.report())
        self.result = result


def run_property(
    target,
    name: str,
    protocol: str,
    params: dict | None = None,
    examples: int = 100,
    seed: int | None = None,
    deadline: float | None = None,
    shrink_budget: float = 20.0,
    replay_target: str = "",
) -> PropertyResult:
    """Run one property against ``target`` with up to ``examples`` examples.

    ``seed`` makes the run exactly reproducible; ``deadline`` (a time.monotonic()
    value) stops generating.  A failure does not end the search: each failing example is
    classified (``behaviours``), Hypothesis keeps looking and shrinks each distinct behaviour
    apart (one exception class per behaviour), so a library with two bugs shows both.
    Shrinking stops ``shrink_budget`` seconds after the first failure (plus a share per further
    behaviour) and reports the smallest failure of each behaviour found so far.
    """
    target = as_target(target)
    prop = PROPERTIES[name]
    cfg = config(protocol, params)
    params = cfg.params
    seed = random.randrange(2**32) if seed is None else seed
    result = PropertyResult(name, protocol, params, seed=seed)
    found: dict[str, dict] = {}  # behaviour -> its smallest failure so far
    failed: dict[str, str] = {}  # digest of every failing example -> its behaviour
    stopped: list[tuple[Verdict, str]] = []
    started = time.monotonic()
    first_failure: list[float] = []  # when this pass found its first failure, and after how many examples
    first_found_at: list[float] = []  # when the run found its first
    known: set[str] = set()  # behaviours an earlier pass found: recorded, not failed on
    looking_until: list[float] = []  # later passes together: half the first's time (LOOK_AT_LEAST at least)

    def out_of_time() -> bool:
        if deadline is not None and time.monotonic() >= deadline:
            result.cut_short = True
        return result.cut_short

    def shrinking_over() -> bool:
        return bool(first_failure) and time.monotonic() - first_failure[0] > shrink_budget * (
            1 + 0.5 * (len(found) - 1)
        )

    def looked_long_enough() -> bool:
        return bool(looking_until) and time.monotonic() > looking_until[0]

    def attempt(case: Case) -> None:
        key = digest(case)  # a digest, not the bytes: failures can be many and 100 KB each
        if out_of_time() or stopped or shrinking_over() or looked_long_enough():
            if key in failed and failed[key] not in known:
                raise _failure_class(failed[key])(found[failed[key]]["problem"])  # the final replays
            if not set(found) - known:
                raise _Stop  # nothing new to shrink: leave Hypothesis now, not after every remaining example
            return
        result.examples += 1
        checked, echoed = None, None
        try:
            checked = check_case(target, prop, case)
            problem, obs = checked.problem, checked.observed
        except RunDeadline:  # the run's deadline cut this example short: no finding
            result.examples -= 1
            result.cut_short = True
            return
        except TargetTimeout as exc:
            problem, obs = f"timeout: {exc}", None
            echoed = exc.received if exc.kind == "no-answer" else None
        except EndpointUnavailable as exc:
            stopped.append((Verdict.ERROR, str(exc)))
            return
        except Unsupported as exc:
            stopped.append((Verdict.UNIMPLEMENTED, str(exc)))
            return
        except Exception as exc:  # a target failing is reported, never raised
            stopped.append((Verdict.ERROR, f"{type(exc).__name__}: {exc}"))
            return
        if problem:
            behaviour = (
                example_behaviour(target, prop, case, checked) if checked else behaviour_of(case, None, echoed=echoed)
            )
            failed[key] = behaviour
            if not first_failure:
                first_failure.extend((time.monotonic(), result.examples))
            if not first_found_at:
                first_found_at.append(first_failure[0])
            best = found.get(behaviour)
            if best is None or _size(case) <= _size(best["case"]):
                found[behaviour] = {"case": case, "problem": problem, "obs": obs, "order": len(found)}
                if best is not None:
                    found[behaviour]["order"] = best["order"]
            if behaviour not in known:  # a later pass looks only for behaviours not yet seen
                raise _failure_class(behaviour)(problem)

    # Hypothesis stops generating soon after its first failure (at twice the call that found the
    # last one), so a bug that fails early would hide the rest: later passes, with derived seeds,
    # record the behaviours already found without failing on them, until a pass finds nothing new
    # or they have taken half as long as the first pass did.
    generated = 0  # examples drawn so far, not counting Hypothesis's shrinking calls
    for passes in range(MAX_PASSES):
        known, at_start = set(found), result.examples
        first_failure.clear()
        _run_pass(attempt, prop.cases(cfg, target.max_chunks), examples - generated, (seed + passes * 7919) % 2**32,
                  result)  # fmt: skip
        calls = result.examples - at_start
        # Hypothesis generates up to about twice the call of its last new failure, then shrinks.
        generated += min(calls, 2 * (first_failure[1] - at_start) + 10) if first_failure else calls
        if not looking_until:
            looking_until.append(time.monotonic() + max((time.monotonic() - started) / 2, LOOK_AT_LEAST))
        if stopped or result.cut_short or set(found) == known or generated >= examples or looked_long_enough():
            break
    if found and not stopped:
        reduce_until = min(time.monotonic(), first_found_at[0] + shrink_budget) + shrink_budget / 2
        if deadline is not None:
            reduce_until = min(reduce_until, deadline)
        for behaviour, best in found.items():
            same = _keeps(target, prop, behaviour)
            best.update(reduce(target, prop, best["case"], best["problem"], best["obs"], reduce_until, keeps=same))
    result.duration = time.monotonic() - started
    if stopped:
        result.verdict, result.detail = stopped[0]
    elif result.cut_short:
        result.verdict = Verdict.NOT_RUN
        result.detail = f"not run to its end: the run's deadline passed after {result.examples} of {examples} examples"
    for behaviour, best in sorted(found.items(), key=lambda item: item[1]["order"]):
        case = best["case"]
        result.findings.append(
            Finding(behaviour, best["problem"], prop.vector(case), best["obs"],
                    replay_command(case.protocol, case.params, case.chunks, replay_target))
        )  # fmt: skip
    if result.findings:
        first = result.findings[0]
        result.verdict, result.detail, result.observed = Verdict.FAIL, first.detail, first.observed
        result.vector, result.replay, result.behaviour = first.vector, first.replay, first.behaviour
    return result


#: Hypothesis runs per property at most: the first, then one per pass that found something new.
MAX_PASSES = 8
#: Seconds the later passes may take together however quick the first was (an in-process
#: target's first pass can take a few milliseconds).
LOOK_AT_LEAST = 2.0


def _run_pass(attempt, cases, budget: int, seed: int, result: PropertyResult) -> None:
    """One Hypothesis run of ``attempt`` over ``cases``: up to ``budget`` examples, then shrinking."""
    test = settings(
        max_examples=budget,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=True,
        print_blob=False,
    )(given(cases)(attempt))
    test = seeded(seed)(test)
    try:
        with warnings.catch_warnings(), _same_draws_whatever_is_imported():
            warnings.simplefilter("ignore", HypothesisWarning)
            test()
    except _Stop:
        pass
    except Flaky:
        result.flaky = True
    except Exception:  # one failure (AssertionError) or several (an exception group): all are in ``found``
        pass


@contextlib.contextmanager
def _same_draws_whatever_is_imported() -> Iterator[None]:
    """Hypothesis (since 6.131) mixes into its draws the literals of every *local* module
    imported so far, so one seed draws different examples in a test session, in a CLI run or
    after a ``python:`` adapter imported its package: ``--seed`` would not reproduce a run.
    This keeps that pool empty while a property runs.  The hook is Hypothesis's private
    ``_get_local_constants``; if a later release renames it, runs still work, only less
    reproducibly."""
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without the module
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    if original is None:  # pragma: no cover
        yield
        return
    empty = original().__class__()
    cache = getattr(getattr(providers, "CONSTANTS_CACHE", None), "cache", {})  # what was drawn from the pool
    providers._get_local_constants = lambda: empty
    cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.clear()


def _keeps(target, prop, behaviour: str):
    """A reduction step is kept only if the smaller failure shows the same behaviour."""

    def keeps(candidate: Case, checked) -> bool:
        return example_behaviour(target, prop, candidate, checked) == behaviour

    return keeps


_FAILURE_CLASSES: dict[str, type] = {}


def _failure_class(behaviour: str) -> type:
    """One AssertionError subclass per behaviour: Hypothesis tells bugs apart by exception type,
    so each behaviour is kept, and shrunk, on its own."""
    if behaviour not in _FAILURE_CLASSES:
        _FAILURE_CLASSES[behaviour] = type(f"Behaviour_{behaviour.replace('-', '_')}", (AssertionError,), {})
    return _FAILURE_CLASSES[behaviour]


def _size(case: Case) -> tuple:
    return (len(case.data), len(case.chunks), case.chunks)


def check_property(target, name: str, protocol: str, params: dict | None = None, **options) -> PropertyResult:
    """``run_property``, raising PropertyFailure unless the property held."""
    result = run_property(target, name, protocol, params, **options)
    if result.verdict != Verdict.PASS:
        raise PropertyFailure(result)
    return result
