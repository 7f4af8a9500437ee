"""A whole run: plan, sanity case, golden vectors, properties, sanity again, and the verdict.

``execute(options, reporter)`` does the work and tells a ``Reporter`` what happens as it
happens (the command line prints it); it returns an ``Outcome`` that reports are written
from and whose ``exit_code`` is the run's: 0 all passed, 1 a conformance failure, 2 a
usage, harness or endpoint error (including a run cut short).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from wirecheck import protocols
from wirecheck.checks import PROPERTY_NAMES, PropertyResult, Verdict, run_property
from wirecheck.errors import UsageError
from wirecheck.targets.command import STARTUP_TIMEOUT
from wirecheck.vectors import Selection, VectorSet, instances, load

from . import plan, selection
from .options import RunOptions, open_target
from .runner import RunResult, run

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class Reporter:
    """What a run tells its front end as it goes.  Every method may be left as it is."""

    def listening(self, address: str) -> None:
        """Client mode: the address clients under test must connect to."""

    def started(self, target_name: str) -> None: ...

    def warning(self, text: str) -> None: ...

    def vectors_started(self, vector_set: VectorSet, selection: Selection, rerun) -> None:
        """``rerun(case_id)`` is the command that runs one case again."""

    def case_done(self, case) -> None: ...

    def vectors_done(self, result: RunResult) -> None: ...

    def properties_started(self, names: list[str], configs: list, examples: int, seed: int) -> None: ...

    def property_done(self, result: PropertyResult) -> None: ...

    def properties_done(self, results: list[PropertyResult]) -> None: ...


@dataclass
class Outcome:
    """What a run found, and what reports are written from."""

    options: RunOptions
    params: dict
    target: str = ""
    vector_set: VectorSet | None = None
    selection: Selection = field(default_factory=Selection)
    result: RunResult = field(default_factory=lambda: RunResult(""))
    ran_vectors: bool = False
    properties: list[PropertyResult] = field(default_factory=list)
    seed: int | None = None
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    target_output: str | None = None
    #: What the target had to say about itself (a daemonized server, a process that escaped).
    target_notes: list[str] = field(default_factory=list)
    #: What the sanity case found wrong with the endpoint before the run ('' when nothing).
    sanity: str = ""

    @property
    def aborted(self) -> str:
        return self.result.aborted

    def summary(self) -> str:
        """The last line of a run: ``N passed, N failed; properties: N held, N failed``."""
        parts = []
        if self.ran_vectors:
            not_run = self.result.count(Verdict.NOT_RUN)
            parts.append(f"{self.result.passed} passed, {self.result.failed} failed"
                         + (f", {not_run} not run" if not_run else ""))  # fmt: skip
        if self.properties:
            held = sum(p.verdict == Verdict.PASS for p in self.properties)
            failed = sum(p.verdict == Verdict.FAIL for p in self.properties)
            not_run = sum(p.verdict == Verdict.NOT_RUN for p in self.properties)
            parts.append(f"properties: {held} held, {failed} failed" + (f", {not_run} not run" if not_run else ""))
        if not parts and self.sanity:
            return f"nothing was run: the endpoint failed the sanity case ({self.sanity})"
        return "; ".join(parts) or "nothing was run"

    def ran_nothing(self) -> bool:
        """Nothing was selected, or the target could run none of what was."""
        ran = [c for c in self.result.cases if c.verdict != Verdict.UNIMPLEMENTED]
        ran += [p for p in self.properties if p.verdict != Verdict.UNIMPLEMENTED]
        return not ran

    def nothing_reason(self) -> str:
        """Why a run that ran nothing ran nothing."""
        if self.result.cases or self.properties:
            return "the target could run none of the selected vectors or properties (all unimplemented)"
        return "the selection runs nothing: no vectors, and no property configurations for these options"

    @property
    def exit_code(self) -> int:
        if self.aborted or self.ran_nothing():
            return EXIT_USAGE
        failed_props = any(p.verdict == Verdict.FAIL for p in self.properties)
        return EXIT_FAIL if self.result.failed or failed_props else EXIT_OK


def execute(options: RunOptions, reporter: Reporter) -> Outcome:
    """Run what ``options`` ask for against its target; the target is closed afterwards."""
    for name in options.properties:
        if name not in PROPERTY_NAMES:
            raise UsageError(f"--property {name!r}: no such property; choose from {', '.join(PROPERTY_NAMES)}")
    loaded = None
    if options.cases and options.only != "properties":
        loaded = load(options.vectors, extra=options.extra_vectors)
        selection.infer_from_cases(loaded, options)
    params = options.resolved_params()
    vector_set, chosen = selection.choose(options, params, loaded)
    outcome = Outcome(options, params, vector_set=vector_set, selection=chosen)
    ends = time.monotonic() + options.deadline  # from here: a started server's start-up counts too
    target = open_target(options, startup_timeout=min(STARTUP_TIMEOUT, options.deadline))
    outcome.target = target.name
    if options.listen is not None:
        reporter.listening(f"{target.host}:{target.port}")
    try:
        _execute(options, reporter, outcome, target, chosen, ends)
    finally:
        outcome.target_output = target.output()
        target.close()
        outcome.target_notes = list(target.notes)
    for note in outcome.target_notes:
        reporter.warning(note)
    return outcome


def _execute(options: RunOptions, reporter: Reporter, outcome: Outcome, target, chosen: Selection, ends: float) -> None:
    target.set_deadline(ends)  # covers the sanity cases and the handshake probe too
    names = options.protocols or list(protocols.names())
    reporter.started(target.name)
    sanity = _sanity_case(options, outcome, names) if target.endpoint and options.sanity else None
    if sanity is not None:
        found = plan.preflight(target, sanity)
        if found:  # nothing after it would be more than noise: stop now, and say what the endpoint did
            outcome.result = RunResult(target.name, aborted=f"sanity case {sanity.id}: {found.problem}")
            outcome.sanity = found.kind
            return
    vectors = list(chosen.vectors)
    if vectors and target.reads_offers and not options.cases and protocols.get(names[0]).handshake:
        vectors = plan.handshake_cases(target) + vectors
    if vectors:
        reporter.vectors_started(outcome.vector_set, chosen, lambda ident: selection.rerun_command(options, ident))
        # With --no-sanity there is no probe, and timeouts in a row do not stop the run.
        alive = None if sanity is None else lambda: plan.sanity(target, sanity).problem
        outcome.result = run(target, vectors, reporter.case_done, jobs=options.jobs, deadline=plan.remaining(ends),
                             alive=alive)  # fmt: skip
        outcome.ran_vectors = True
        reporter.vectors_done(outcome.result)
    else:
        outcome.result = RunResult(target.name)
    wants_properties = options.only == "properties" or (
        options.only is None and (options.properties or not options.narrowed)
    )
    if wants_properties and not outcome.aborted:
        _run_properties(options, reporter, outcome, target, names, ends)
    if sanity is not None and not outcome.aborted:
        found = plan.sanity(target, sanity, attempts=3)
        if found:
            outcome.result.aborted = (
                f"the endpoint degraded during the run: sanity case {sanity.id} now fails: {found.problem}"
            )


def _sanity_case(options: RunOptions, outcome: Outcome, names: list[str]):
    """The sanity vector, drawn from the whole configuration (--case and --flag aside)."""
    if outcome.vector_set is not None:
        whole = instances(outcome.vector_set, options.protocols, outcome.params, endpoint=True)
        return plan.sanity_from_vectors(whole.vectors)
    configs = plan.configurations(names, outcome.params)
    return plan.sanity_from_oracle(*configs[0]) if configs else None


def _run_properties(options: RunOptions, reporter: Reporter, outcome: Outcome, target, names, ends: float) -> None:
    configs = plan.configurations(names, outcome.params)
    chosen = options.properties or list(PROPERTY_NAMES)
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    outcome.seed = seed
    reporter.properties_started(chosen, configs, options.examples, seed)
    replay_target = "" if options.listen is not None else (options.target or "")
    for protocol, config in configs:
        for name in chosen:
            if outcome.aborted or time.monotonic() >= ends:
                outcome.result.aborted = outcome.aborted or "the run's deadline passed"
                result = PropertyResult(name, protocol, config, Verdict.NOT_RUN, seed=seed,
                                        detail=f"not run: {outcome.aborted}")  # fmt: skip
            else:
                result = run_property(target, name, protocol, config, examples=options.examples, seed=seed,
                                      deadline=ends, replay_target=replay_target)  # fmt: skip
            suffix = _replay_suffix(options)
            if result.replay:
                result.replay += suffix
            for finding in result.findings:
                finding.replay += suffix
            outcome.properties.append(result)
            reporter.property_done(result)
            if result.verdict == Verdict.ERROR:
                outcome.result.aborted = f"property {name} ({protocol}): {result.detail}"
            elif result.verdict == Verdict.NOT_RUN and not outcome.aborted:
                outcome.result.aborted = "the run's deadline passed"
    reporter.properties_done(outcome.properties)


def _replay_suffix(options: RunOptions) -> str:
    """What a replay command needs besides the stream: client mode, and non-default waits."""
    out = f" --listen {options.listen}" if options.listen is not None else ""
    if options.endpoint:
        for flag, value, default in (("--timeout", options.timeout, 5.0), ("--delay", options.delay, 0.0)):
            if value != default:
                out += f" {flag} {value:g}"
    return out
