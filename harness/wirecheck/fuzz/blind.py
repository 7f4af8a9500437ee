"""``wirecheck fuzz`` for endpoints (``tcp:``, ``cmd:``, ``stdio:``): the properties, for a time budget.

Coverage needs the library in this process; a server elsewhere is fuzzed without it.  The
property generators run in turn, each for a share of the budget and with no example limit,
on a fresh seed each round, looking for behaviours not yet seen; each property shrinks what it
finds, and the smallest failure of each behaviour becomes a finding, saved as the in-process
mode saves its own (``findings``).  This is the nightly mode for a server in CI.
"""

from __future__ import annotations

import time

from wirecheck.checks import PROPERTY_NAMES, Target, run_property
from wirecheck.checks.case import Case

from .findings import FuzzFinding

#: Seconds one property runs before the next takes its turn (shorter budgets share them out).
TURN = 60.0
#: No example limit in practice: the budget ends each turn.
UNLIMITED = 10**9


def run(
    target: Target,
    target_spec: str,
    protocol: str,
    params: dict,
    seconds: float,
    seed: int,
    out,
    runs: int | None = None,
) -> tuple[dict, list[FuzzFinding]]:
    """(figures, one finding per behaviour).  ``runs``: examples per property turn instead of time."""
    started = time.monotonic()
    ends = started + seconds
    found: dict[str, FuzzFinding] = {}
    examples = 0
    turn = min(TURN, max(1.0, seconds / len(PROPERTY_NAMES)))
    round_no = 0
    while time.monotonic() < ends:
        for name in PROPERTY_NAMES:
            now = time.monotonic()
            if now >= ends:
                break
            result = run_property(
                target,
                name,
                protocol,
                params,
                examples=runs or UNLIMITED,
                seed=seed + round_no,
                deadline=min(ends, now + turn),
                replay_target=target_spec,
            )
            examples += result.examples
            for finding in result.findings:
                kept = found.get(finding.behaviour)
                size = (len(finding.vector.input), len(finding.vector.chunks or ()))
                if kept is None or size < (len(kept.case.data), len(kept.case.chunks)):
                    found[finding.behaviour] = _from_property(finding, protocol, params)
            names = ", ".join(sorted(found)) or "none"
            print(
                f"  {time.monotonic() - started:6.0f}s  {name}: {result.examples} examples; behaviours so far: {names}",
                file=out,
                flush=True,
            )
            if runs is not None and name == PROPERTY_NAMES[-1]:
                ends = 0.0
        round_no += 1
    elapsed = time.monotonic() - started
    figures = {
        "executions": examples,
        "seconds": round(elapsed, 2),
        "per_second": round(examples / elapsed) if elapsed else 0,
        "coverage": None,
        "corpus": None,
    }
    return figures, sorted(found.values(), key=lambda f: f.behaviour)


def _from_property(finding, protocol: str, params: dict) -> FuzzFinding:
    vector = finding.vector
    chunks = list(vector.chunks) if vector.chunks else [vector.input]
    case = Case(protocol, params, chunks, None, [])  # type: ignore[arg-type]
    return FuzzFinding(finding.behaviour, case, finding.detail, vector, finding.replay)
