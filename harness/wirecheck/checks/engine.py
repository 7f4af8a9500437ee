"""Running a property: Hypothesis generates and shrinks, our reducer finishes, a result comes back.

    from wirecheck.checks import check_property
    check_property(target, "split_independence", "line", {"max_length": 64})

``check_property`` raises ``PropertyFailure`` (an AssertionError) carrying the shrunk
example as a golden-format vector and the ``wirecheck replay`` command that runs it
again; ``run_property`` returns the same as a ``PropertyResult`` instead.
"""

from __future__ import annotations

import json
import random
import time
import warnings
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as seeded
from hypothesis.errors import Flaky, HypothesisWarning

from wirecheck.errors import EndpointUnavailable, RunDeadline, TargetTimeout, Unsupported
from wirecheck.oracle import Observation
from wirecheck.strategies import config
from wirecheck.vectors import Vector

from .case import Case, digest, vector_json
from .definitions import PROPERTIES, check_case
from .reduce import reduce
from .replay import replay_command
from .target import as_target
from .verdict import Verdict

#: Vectors longer than this (as JSON) are not printed in a report, only saved and replayable.
PRINT_VECTOR_UP_TO = 4096


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

    def report(self) -> str:
        """A multi-line account of a failure: what went wrong, the vector, the replay command."""
        lines = [f"{self.verdict.word:10} property {self.name} ({self.protocol} {json.dumps(self.params)}), "
                 f"after {self.examples} examples (seed {self.seed}): {self.detail}"]  # fmt: skip
        if self.vector is not None:
            text = json.dumps(vector_json(self.vector))
            if len(text) <= PRINT_VECTOR_UP_TO:
                lines.append(f"  shrunk to this vector (for a {self.protocol} group of vectors/"
                             f"{self.vector.family}.json with params {json.dumps(self.params)}):")  # fmt: skip
                lines.append("    " + text)
            else:
                lines.append(f"  shrunk to a vector of {len(self.vector.input)} bytes ({len(text)} characters of "
                             "JSON): it is in the JSON results, and replay --print-vector prints it")  # fmt: skip
            if self.flaky:
                lines.append("  (it did not fail again when replayed: timing-dependent)")
        if self.replay:
            lines.append(f"  replay: {self.replay}")
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
    value) stops generating; once a failure is found, shrinking stops after
    ``shrink_budget`` seconds and reports the smallest failure found so far.
    """
    target = as_target(target)
    prop = PROPERTIES[name]
    cfg = config(protocol, params)
    params = cfg.params
    seed = random.randrange(2**32) if seed is None else seed
    result = PropertyResult(name, protocol, params, seed=seed)
    best: dict = {}
    failed: set = set()  # every example that failed, so a replay after the budget still fails
    stopped: list[tuple[Verdict, str]] = []
    started = time.monotonic()

    def out_of_time() -> bool:
        if deadline is not None and time.monotonic() >= deadline:
            result.cut_short = True
        return result.cut_short

    def attempt(case: Case) -> None:
        key = digest(case)  # a digest, not the bytes: failures can be many and 100 KB each
        over = out_of_time() or stopped
        if best and (time.monotonic() - best["at"] > shrink_budget):
            over = True
        if over:
            if key in failed:
                raise AssertionError(best["problem"])  # the final replay of the shrunk example
            if not best:
                raise _Stop  # nothing to shrink: leave Hypothesis now, not after every remaining example
            return
        result.examples += 1
        try:
            problem, obs = check_case(target, prop, case)
        except RunDeadline:  # the run's deadline cut this example short: no finding
            result.examples -= 1
            result.cut_short = True
            return
        except TargetTimeout as exc:
            problem, obs = f"timeout: {exc}", None
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
            failed.add(key)
            if not best or _size(case) <= _size(best["case"]):
                best.update(key=key, case=case, problem=problem, obs=obs, at=best.get("at", time.monotonic()))
            raise AssertionError(problem)

    test = settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )(given(prop.cases(cfg, target.max_chunks))(attempt))
    test = seeded(seed)(test)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HypothesisWarning)
            test()
    except _Stop:
        pass
    except Flaky:
        result.flaky = True
    except AssertionError:
        pass
    if best and not stopped:
        reduce_until = best["at"] + shrink_budget
        if deadline is not None:
            reduce_until = min(reduce_until, deadline)
        best.update(reduce(target, prop, best["case"], best["problem"], best["obs"], reduce_until))
    result.duration = time.monotonic() - started
    if stopped:
        result.verdict, result.detail = stopped[0]
    elif result.cut_short:
        result.verdict = Verdict.NOT_RUN
        result.detail = f"not run to its end: the run's deadline passed after {result.examples} of {examples} examples"
    if best:
        case = best["case"]
        result.verdict, result.detail, result.observed = Verdict.FAIL, best["problem"], best["obs"]
        result.vector = prop.vector(case)
        result.replay = replay_command(case.protocol, case.params, case.chunks, replay_target)
    return result


def _size(case: Case) -> tuple:
    return (len(case.data), len(case.chunks), case.chunks)


def check_property(target, name: str, protocol: str, params: dict | None = None, **options) -> PropertyResult:
    """``run_property``, raising PropertyFailure unless the property held."""
    result = run_property(target, name, protocol, params, **options)
    if result.verdict != Verdict.PASS:
        raise PropertyFailure(result)
    return result
