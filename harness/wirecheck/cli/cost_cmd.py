"""``wirecheck cost``: how a target's time grows with its input, workload by workload.

Exit 1 when a workload is superlinear or too slow to measure, or a memory probe names a
behaviour; 0 otherwise; 2 on a usage or harness error.  Workloads that could not be measured
(the target refused them, too few sizes took long enough to time) are "not-measured" with the
reason, and a growth neither linear nor established is "inconclusive": neither is a failure,
neither is called linear.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from wirecheck import protocols
from wirecheck.cost import CostVerdict, Limits, for_protocol, meter_for, probe, svg
from wirecheck.cost import memory as memory_probes
from wirecheck.cost.workloads import BY_NAME, PROBE_MAX, SOCKET_MAX
from wirecheck.errors import UsageError
from wirecheck.fileio import write_atomically
from wirecheck.run import EXIT_FAIL, EXIT_OK
from wirecheck.run.options import make_target
from wirecheck.run.plan import configurations
from wirecheck.safetext import printable

from .parser import params_from

#: Default seconds one delivery may take.  Over a socket a one-byte read costs an endpoint's event
#: loop a wake-up each (tens of microseconds of its own: a 128 KiB line a byte at a time is 3 s of
#: Twisted's reactor before its decoder's own cost), so its sizes need longer to show growth.
IN_PROCESS_CAP, SOCKET_CAP = 5.0, 20.0


def _config(protocol: str, given: dict, own_max: bool) -> dict:
    spec = protocols.get(protocol)
    params = dict(given)
    names = {p.name: p for p in spec.params}
    if own_max and "max_length" in names and "max_length" not in given:
        top = names["max_length"].maximum
        params["max_length"] = PROBE_MAX if top is None else min(top, PROBE_MAX)
    configs = configurations([protocol], params)
    if not configs:
        raise UsageError(f"{protocol}: these parameters name no stream configuration to measure")
    return configs[0][1]


def main(args, out) -> int:
    protocol = args.protocol
    in_process = args.impl is None and (args.target in (None, "reference") or args.target.startswith("python:"))
    params = _config(protocol, params_from(args), own_max=in_process or args.impl is not None)
    words = protocols.command_words(protocols.get(protocol), params)
    if args.impl is not None:
        serve = shlex.join([sys.executable, "-m", "wirecheck", "serve", "--impl", args.impl, "--protocol",
                            protocol, *words])  # fmt: skip
        spec_text = f"cmd:{serve} --port {{port}}"
        where = ["--impl", args.impl]
    else:
        spec_text = args.target or "reference"
        where = [] if spec_text == "reference" else ["--target", spec_text]
    chosen = for_protocol(protocol, params)
    if args.workload:
        unknown = [w for w in args.workload if w not in BY_NAME]
        if unknown:
            raise UsageError(f"--workload {unknown[0]!r}: choose from {', '.join(w.name for w in chosen)}")
        chosen = [w for w in chosen if w.name in args.workload]
        if not chosen:
            raise UsageError(f"no chosen workload applies to {protocol} {json.dumps(params)}")
    cap = args.cap if args.cap is not None else IN_PROCESS_CAP if in_process else SOCKET_CAP
    limits = Limits(args.budget, cap, args.repeat, args.max_bytes, PROBE_MAX if in_process else SOCKET_MAX)
    target = make_target(spec_text, timeout=args.timeout)
    try:
        meter = meter_for(target, protocol, params)
        try:
            print(f"cost {protocol} {json.dumps(params)} via {printable(target.name)}: {meter.what}, "
                  f"budget {args.budget:g} s, median of {args.repeat}", file=out)  # fmt: skip
            for note in meter.notes:
                print(f"  note: {note}", file=out)
            results = [] if args.only == "memory" else probe(meter, protocol, params, chosen, limits)
            pids = getattr(meter, "pids", [])
            memory = [] if args.only == "time" else _memory(target, protocol, params, pids, out)
        finally:
            meter.close()
    finally:
        target.close()
    # The budget and cap it ran with: a finding that needed a long run is reproduced by one as long.
    base = ["wirecheck", "cost", "--protocol", protocol, *words, *where, "--budget", f"{args.budget:g}", "--cap",
            f"{cap:g}"]  # fmt: skip
    for result in results:
        if result.verdict is CostVerdict.SUPERLINEAR and args.plots is not None:
            args.plots.mkdir(parents=True, exist_ok=True)
            path = args.plots / f"{protocol}-{result.workload}.svg"
            title = f"{protocol} {result.workload}"
            points = [(p.size, p.seconds) for p in result.points]
            control = [(p.size, p.seconds) for p in result.control]
            write_atomically(path, svg(title, printable(target.name), points, result.exponent, control, result.excess))
            result.plot = str(path)
        _print(result, shlex.join([*base, "--workload", result.workload]), out)
    for found in memory:
        named = f" ({found.behaviour})" if found.behaviour else ""
        print(f"  memory {found.probe:23} {found.verdict}{named}: {found.why}", file=out)
    failed = [r for r in results if r.verdict in (CostVerdict.SUPERLINEAR, CostVerdict.TOO_SLOW)]
    failed += [m for m in memory if m.behaviour]
    counts = {v: sum(r.verdict is v for r in results) for v in CostVerdict}
    print(", ".join(f"{n} {v.value}" for v, n in counts.items() if n), file=out)
    if args.json is not None:
        doc = {"protocol": protocol, "params": params, "target": target.name, "measure": meter.what,
               "notes": meter.notes, "workloads": [r.as_json() for r in results],
               "memory": [m.as_json() for m in memory]}  # fmt: skip
        write_atomically(Path(args.json), json.dumps(doc, indent=1) + "\n")
    return EXIT_FAIL if failed else EXIT_OK


def _memory(target, protocol: str, params: dict, pids: list[int], out) -> list:
    """The memory probes, where the target can be measured; a note where it cannot."""
    gauge = memory_probes.gauge_for(target, protocol, params, pids)
    if gauge is None:
        print("  memory: not measured (only in-process targets and servers wirecheck starts: cmd:, --impl)", file=out)
        return []
    try:
        return memory_probes.probes(gauge, protocol, params)
    finally:
        gauge.close()


def _print(result, command: str, out) -> None:
    named = f" ({result.behaviour})" if result.behaviour else ""
    print(f"  {result.workload:22} {result.verdict.value}{named}: {result.why}", file=out)
    if result.delivery:
        print(f"      measured {result.delivery}", file=out)
    if result.points:
        figures = ", ".join(f"{_size(p.size)} {p.seconds:.4f}s" for p in result.points)
        print(f"      {figures}", file=out)
    if result.control:
        figures = ", ".join(f"{_size(p.size)} {p.seconds:.4f}s" for p in result.control)
        print(f"      control: {figures}", file=out)
    if result.verdict in (CostVerdict.SUPERLINEAR, CostVerdict.TOO_SLOW):
        print(f"      reproduce: {printable(command)}", file=out)
        if result.plot:
            print(f"      plot: {printable(result.plot)}", file=out)


def _size(n: int) -> str:
    return f"{n >> 20}M" if n >= 1 << 20 and not n % (1 << 20) else f"{n >> 10}K" if n >= 1024 else f"{n}B"
