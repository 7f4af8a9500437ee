"""``wirecheck clients``: the client scenarios and generated scenarios against one client."""

from __future__ import annotations

import fnmatch
import json
import shlex

from wirecheck import __version__
from wirecheck.clients import baseline as client_baseline
from wirecheck.clients.lint import lint
from wirecheck.clients.scenario import load, load_text
from wirecheck.clients.session import ClientOptions, ClientTarget, replay_command, run_scenario
from wirecheck.clients.strategies import check_property
from wirecheck.clients.verdict import ClientVerdict
from wirecheck.endpoints.bundled import implementations_directory
from wirecheck.errors import UsageError
from wirecheck.fileio import write_atomically
from wirecheck.matrix.manifest import discover
from wirecheck.report.junit import clients_junit_xml
from wirecheck.run import EXIT_FAIL, EXIT_OK

from .parser import params_from

#: Verdicts that fail a run.
FAILING = (ClientVerdict.FAIL, ClientVerdict.CRASH, ClientVerdict.HANG)
WIDTH = 10


def _params(args) -> dict:
    params = params_from(args)
    if args.protocol == "line":
        params.setdefault("delimiter", "0a")  # the notes' protocol ends lines with LF
    if args.protocol != "banana":
        params.setdefault("max_length", 16384)
    return params


def _bundled(args) -> ClientOptions:
    """The options of a bundled client: its manifest's first client configuration."""
    impl = discover(args.implementations or implementations_directory(), [args.impl])[0]
    config = next((c for c in impl.configurations if c.role == "client"), None)
    if config is None:
        raise UsageError(f"--impl {args.impl}: not a client (its manifest has no client configuration)")
    if args.in_process and not config.python:
        raise UsageError(f"--impl {args.impl}: its manifest names no in-process adapter ('python')")
    target = "python:" + impl.expand(config.python, quote=False) if args.in_process else (
        "cmd:" + impl.expand(config.command, config.params))  # fmt: skip
    return ClientOptions(target, config.protocol, dict(config.params), config.profile, args.client_timeout,
                         args.timeout)  # fmt: skip


def _matrix(args, out) -> int:
    from wirecheck.matrix.clients import run_client_matrix

    def progress(name: str, run: dict) -> None:
        scenarios = (run.get("results") or {}).get("scenarios") or []
        failing = sum(r["verdict"] in ("fail", "crash", "hang") for r in scenarios)
        state = f"{failing} of {len(scenarios)} scenarios failed" if run["state"] == "ran" else run["state"]
        print(f"{name}: {state} {run.get('reason', '')}".rstrip(), file=out, flush=True)

    report = run_client_matrix(args.implementations or implementations_directory(), args.out,
                               [args.impl] if args.impl else None, args.jobs, args.in_process, args.examples,
                               progress)  # fmt: skip
    print(f"{len(report['clients'])} clients; report in {args.out}/index.html "
          f"({report['provenance']['wall_time']} s)", file=out)  # fmt: skip
    return EXIT_OK


def main(args, out) -> int:
    if args.action == "lint":
        count, problems = lint(args.scenarios)
        for line in problems:
            print(line, file=out)
        print(f"{count} scenarios, {len(problems)} problems", file=out)
        return EXIT_FAIL if problems else EXIT_OK
    if args.action == "matrix":
        return _matrix(args, out)
    baseline = client_baseline.read(args.baseline) if args.baseline else None
    if args.impl:
        options = _bundled(args)
    else:
        options = ClientOptions(args.target, args.protocol, _params(args), args.profile, args.client_timeout,
                                args.timeout)  # fmt: skip
    target = ClientTarget(options)
    loaded = load_text(args.scenario_json) if args.scenario_json else load(args.scenarios)
    scenarios = [s for s in loaded if options.profile in s.profiles]
    if args.scenario:
        scenarios = [s for s in scenarios if any(fnmatch.fnmatchcase(s.id, p) for p in args.scenario)]
        if not scenarios:
            raise UsageError("--scenario: no scenario of this profile has that id")
    results, prop = [], None
    print(f"clients: {target.name}, {options.protocol} {json.dumps(options.params)}, profile {options.profile}",
          file=out)  # fmt: skip
    if args.only != "properties":
        for scenario in scenarios:
            result = run_scenario(target, scenario, str(args.scenarios) if args.scenarios else None)
            results.append(result)
            if result.verdict != ClientVerdict.PASS or args.verbose:
                print(f"{result.verdict.value.upper():{WIDTH}} {scenario.id}: {result.judgement.message or 'ok'}",
                      file=out)  # fmt: skip
                if result.verdict in FAILING:
                    print(f"{'':{WIDTH}} replay: {result.replay}", file=out)
            out.flush()
    if args.only != "scenarios" and not args.scenario and not args.scenario_json:
        examples = args.examples if args.examples is not None else (25 if args.target.startswith("cmd:") else 200)
        prop = check_property(target, examples, args.seed)
        for behaviour, (scenario, judgement) in prop.failures.items():
            doc = {"format": "wirecheck-client-scenarios", "version": 1, "scenarios": [scenario.to_json()]}
            print(f"{judgement.verdict.value.upper():{WIDTH}} property ({behaviour}): {judgement.message}", file=out)
            print(f"{'':{WIDTH}} shrunk to a scenario (the golden format; save it to add it to a file):", file=out)
            print(f"{'':{WIDTH}} {json.dumps(doc)}", file=out)
            replay = replay_command(options, scenario.id).replace(" --scenario ", " --scenario-json ")
            print(f"{'':{WIDTH}} replay: {replay.rsplit(' --scenario-json ', 1)[0]} --scenario-json "
                  f"{shlex.quote(json.dumps(doc))}", file=out)  # fmt: skip
        if prop.error:
            print(f"{'NOT-RUN':{WIDTH}} property: {prop.error}", file=out)
    counts = {v: sum(r.verdict == v for r in results) for v in ClientVerdict}
    summary = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    held = "not run"
    if prop is not None:
        held = f"{prop.examples} generated, {len(prop.failures)} failing behaviours"
        held += f" (some not run: {prop.error})" if prop.error else ""
    print(f"{len(results)} scenarios: {summary or 'none'}; properties: {held}", file=out)
    doc = {"format": "wirecheck-client-results", "version": 1, "harness": {"name": "wirecheck", "version": __version__},
           "target": target.name, "protocol": options.protocol, "params": options.params, "profile": options.profile,
           "scenarios": [r.to_json() for r in results],
           "properties": None if prop is None else {
               "examples": prop.examples, "error": prop.error,
               "failures": [{"behaviour": b, "verdict": j.verdict.value, "message": j.message,
                             "scenario": s.to_json(False)} for b, (s, j) in prop.failures.items()]}}  # fmt: skip
    if args.json:
        write_atomically(args.json, json.dumps(doc, indent=1) + "\n")
    if args.junit:
        write_atomically(args.junit, clients_junit_xml(doc))
    if args.write_baseline:
        write_atomically(args.write_baseline, json.dumps(client_baseline.from_results(doc), indent=1) + "\n")
    if baseline is not None:
        problems = client_baseline.check(baseline, doc)
        for line in problems:
            print(line, file=out)
        print(f"baseline {args.baseline}: {'held' if not problems else f'{len(problems)} differences'}", file=out)
        return EXIT_FAIL if problems else EXIT_OK
    failed = any(r.verdict in FAILING for r in results) or bool(prop and prop.failures)
    return EXIT_FAIL if failed else EXIT_OK
