"""Case -> deliveries -> observations -> verdict.

Every vector is delivered whole, one byte per read, at every two-way split point
(for inputs up to ``SPLIT_ALL_UP_TO`` bytes) and in its explicit chunks.  A case
passes only when every delivery meets the expectation and all deliveries agree:
an outcome that depends on how the stream was split is a failure in itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from harness.oracle import Observation, matches
from harness.targets.base import EndpointUnavailable, Target, TargetTimeout, Unsupported
from harness.vectors import Expectation, Vector

SPLIT_ALL_UP_TO = 64

BYTEWISE_UP_TO = None  # no limit

PASS, ACCEPTABLE, FAIL, ERROR = "pass", "acceptable", "fail", "error"
TIMEOUT, UNIMPLEMENTED = "timeout", "unimplemented"
#: Verdicts that fail a run.  ``unimplemented`` is shown but fails nothing.
FAILING = (FAIL, ERROR, TIMEOUT)


def deliveries(
    vector: Vector,
    split_all_up_to: int = SPLIT_ALL_UP_TO,
    bytewise_up_to: int | None = BYTEWISE_UP_TO,
    chunks_first: bool = False,
) -> Iterator[tuple[str, list[bytes]]]:
    """The ways one vector's input is cut into reads, each with a short label."""
    data = vector.input
    if chunks_first and vector.chunks is not None:
        yield "chunks", list(vector.chunks)
    yield "whole", [data]
    if len(data) > 1 and (bytewise_up_to is None or len(data) <= bytewise_up_to):
        yield "byte-by-byte", [data[i : i + 1] for i in range(len(data))]
    if len(data) <= split_all_up_to:
        for k in range(1, len(data)):
            yield f"split@{k}", [data[:k], data[k:]]
    if vector.chunks is not None and not chunks_first:
        yield "chunks", list(vector.chunks)


@dataclass
class CaseResult:
    vector: Vector
    verdict: str
    deliveries: int = 0
    detail: str = ""
    delivery: str = ""  # the first delivery that went wrong
    observed: Observation | None = None
    duration: float = 0.0


@dataclass
class RunResult:
    target: str
    cases: list[CaseResult] = field(default_factory=list)
    duration: float = 0.0
    aborted: str = ""  # why the run stopped early, if it did

    def count(self, *verdicts: str) -> int:
        return sum(1 for c in self.cases if c.verdict in verdicts)

    @property
    def passed(self) -> int:
        """Cases that met an allowed expectation (pass or acceptable)."""
        return self.count(PASS, ACCEPTABLE)

    @property
    def failed(self) -> int:
        return self.count(*FAILING)


def _classify(vector: Vector, obs: Observation, exact: bool) -> str | None:
    """'pass', 'acceptable:N', or None when the observation meets nothing allowed."""
    if matches(vector.expected, obs, exact):
        return PASS
    for i, alt in enumerate(vector.alternatives):
        if matches(alt, obs, exact):
            return f"{ACCEPTABLE}:{i}"
    return None


def describe(obs: Observation | Expectation) -> str:
    """A one-line, bounded rendering of an expectation or observation."""
    if isinstance(obs, Expectation):
        frames, outcome = list(obs.frames), dict(obs.outcome)
        extra = {} if obs.dialect is ... else {"dialect": obs.dialect}
    else:
        frames, outcome = obs.frames, obs.outcome()
        extra = {"dialect": obs.dialect} if obs.dialect is not None and obs.dialect is not ... else {}
    shown = ", ".join(_short(f) for f in frames[:4]) + (f", ... ({len(frames)} frames)" if len(frames) > 4 else "")
    status = outcome["status"]
    if status == "close" and "reason" in outcome:
        status += f" {outcome['reason']}@{outcome.get('offset')}"
    tail = "".join(f" {k}={v}" for k, v in extra.items())
    problems = getattr(obs, "problems", None)
    if problems:
        tail += " (" + "; ".join(problems) + ")"
    return f"frames [{shown}] then {status}{tail}"


def _short(frame) -> str:
    if frame == "":
        return "(empty)"
    text = frame if isinstance(frame, str) else repr(frame)
    return text if len(text) <= 40 else text[:37] + "..."


class EndpointGone(Exception):
    """The target stopped accepting connections: the rest of the run cannot proceed."""


def run_case(target: Target, vector: Vector, chunks_first: bool = False) -> CaseResult:
    start = time.perf_counter()
    result = CaseResult(vector, PASS)
    first_class: str | None = None
    first_obs: Observation | None = None
    first_label = ""
    plan = deliveries(
        vector,
        getattr(target, "split_all_up_to", SPLIT_ALL_UP_TO),
        getattr(target, "bytewise_up_to", BYTEWISE_UP_TO),
        chunks_first,
    )
    for label, chunks in plan:
        result.deliveries += 1
        try:
            obs = target.deliver(vector, chunks)
        except EndpointUnavailable as exc:
            raise EndpointGone(str(exc)) from None
        except TargetTimeout as exc:
            result.verdict, result.delivery, result.detail = TIMEOUT, label, str(exc)
            break
        except Unsupported as exc:
            result.verdict, result.detail = UNIMPLEMENTED, str(exc)
            break
        except Exception as exc:  # a target failing is reported, never raised
            result.verdict, result.delivery = ERROR, label
            result.detail = f"{type(exc).__name__}: {exc}"
            break
        cls = _classify(vector, obs, target.reports_reasons)
        if cls is None:
            result.verdict, result.delivery, result.observed = FAIL, label, obs
            result.detail = f"expected {describe(vector.expected)}; observed {describe(obs)}"
            break
        if first_obs is None:
            first_class, first_obs, first_label = cls, obs, label
        elif obs != first_obs:
            result.verdict, result.delivery, result.observed = FAIL, label, obs
            result.detail = (
                f"outcome depends on the split: whole gave {describe(first_obs)}; {label} gave {describe(obs)}"
            )
            break
    if result.verdict == PASS and first_class and first_class.startswith(ACCEPTABLE):
        result.verdict = ACCEPTABLE
        result.observed = first_obs
        result.detail = "matched an allowed alternative: " + describe(first_obs)
    elif result.verdict == PASS:
        result.observed, result.delivery = first_obs, first_label  # the record of what crossed the wire
    result.duration = time.perf_counter() - start
    return result


def run(
    target: Target,
    vectors: Iterable[Vector],
    on_result: Callable[[CaseResult], None] | None = None,
    jobs: int = 1,
    deadline: float | None = None,
) -> RunResult:
    """Run every vector; with ``jobs`` > 1, on that many concurrent connections.

    Results come back in vector order.  If the endpoint stops accepting connections,
    or ``deadline`` seconds pass, the cases not yet done are marked ``error`` at once
    and ``aborted`` says why.
    """
    start = time.perf_counter()
    out = RunResult(target.name)
    vectors = list(vectors)
    ends = None if deadline is None else time.monotonic() + deadline
    if ends is not None and hasattr(target, "run_deadline"):
        target.run_deadline = ends  # no single delivery may outlive the run

    def one(vector: Vector) -> CaseResult:
        if ends is not None and time.monotonic() >= ends and not out.aborted:
            out.aborted = "the run's deadline passed"
        if out.aborted:
            return CaseResult(vector, ERROR, detail=f"not run: {out.aborted}")
        try:
            return run_case(target, vector)
        except EndpointGone as exc:
            out.aborted = out.aborted or str(exc)
            return CaseResult(vector, ERROR, detail=str(exc))

    if jobs <= 1:
        results = map(one, vectors)
    else:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(max_workers=jobs)
        results = pool.map(one, vectors)
    try:
        for case in results:
            out.cases.append(case)
            if on_result:
                on_result(case)
    finally:
        if jobs > 1:
            pool.shutdown(cancel_futures=True)
    out.duration = time.perf_counter() - start
    return out


def select(
    vectors: Sequence[Vector],
    protocols: Sequence[str] | None = None,
    params: dict | None = None,
    ids: Sequence[str] | None = None,
    flags: Sequence[str] | None = None,
) -> list[Vector]:
    """Vectors whose protocol, group parameters, id and flags fit the filters."""
    out = []
    for v in vectors:
        if protocols and v.protocol not in protocols:
            continue
        if params and any(
            v.params.get(k, _MISSING) != want for k, want in params.items() if k not in OPTIONAL or k in v.params
        ):
            continue
        if params and "dialects" in params and v.params.get("dialect", params["dialects"][0]) not in params["dialects"]:
            continue  # a Banana peer group in a dialect this endpoint does not speak
        if ids and v.id not in ids:
            continue
        if flags and not set(flags) & set(v.flags):
            continue
        out.append(v)
    return out


_MISSING = object()
#: Parameters that only some groups of a protocol have (Banana peers have no dialect list):
#: they select among the groups that have them and leave the others alone.
OPTIONAL = frozenset({"dialects"})
