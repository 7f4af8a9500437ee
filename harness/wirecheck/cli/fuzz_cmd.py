"""``wirecheck fuzz``: coverage-guided fuzzing of an in-process target, the properties for an endpoint.

Exit 0 when nothing was found, 1 with findings (one line per behaviour, each saved as a
vector with its replay command), 2 on a usage or harness error.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from pathlib import Path

from wirecheck import protocols, vectors
from wirecheck.errors import UsageError
from wirecheck.fuzz import blind, campaign, findings
from wirecheck.fuzz.inputs import seed_corpus
from wirecheck.run import EXIT_FAIL, EXIT_OK
from wirecheck.run.options import make_target
from wirecheck.run.plan import configurations

from .parser import params_from

#: Where the corpus and findings are kept between runs unless --corpus and --findings say.
DEFAULT_HOME = Path(".wirecheck") / "fuzz"
#: Seconds spent settling findings (minimizing, naming) at most.
SETTLE_BUDGET = 120.0
#: The default budget when neither --seconds nor --runs is given.
DEFAULT_SECONDS = 60.0


def main(args, out) -> int:
    protocol = args.protocol
    configs = configurations([protocol], params_from(args))
    if not configs:
        raise UsageError(f"{protocol}: these parameters name no stream configuration to fuzz")
    _, params = configs[0]
    in_process = args.target in (None, "reference") or args.target.startswith("python:")
    spec_text = args.target or "reference"
    seconds = args.seconds if args.seconds is not None or args.runs is not None else DEFAULT_SECONDS
    seed = args.seed if args.seed is not None else random.randrange(1, 2**31)
    key = hashlib.sha256(json.dumps([protocol, params], sort_keys=True).encode()).hexdigest()[:8]
    corpus = args.corpus or DEFAULT_HOME / "corpus" / f"{protocol}-{key}"
    found_dir = args.findings or DEFAULT_HOME / "findings"
    target = make_target(spec_text, timeout=args.timeout, delay=args.delay)
    label = f"{protocol} {json.dumps(params)} via {target.name}"
    budget = f"{seconds:g} s" if seconds is not None else f"{args.runs} runs"
    try:
        if in_process:
            campaign.require_atheris()
            limit = protocols.get(protocol).limit(params)
            max_len = args.max_len or min(1 << 20, max(4096, 2 * (limit or 0) + 64))
            seeds = [
                v
                for v in vectors.instances(vectors.load(), [protocol], params, endpoint=True).vectors
                if v.params == params
            ]
            new = seed_corpus(corpus, seeds, max_len)
            print(f"fuzz {label}: coverage-guided (atheris), {args.jobs} job(s), {budget}, seed {seed}", file=out)
            print(
                f"  corpus {corpus} ({new} inputs seeded from {len(seeds)} vectors); findings to {found_dir}", file=out
            )
            plan = campaign.FuzzPlan(
                protocol, params, spec_text, corpus, found_dir, seconds, args.runs, args.jobs, seed, max_len
            )
            figures, raw = campaign.run(plan, out)
            results = findings.settle(target, spec_text, protocol, params, raw, time.monotonic() + SETTLE_BUDGET)
        else:
            print(f"fuzz {label}: the properties without coverage (an endpoint), {budget}, seed {seed}", file=out)
            figures, results = blind.run(target, spec_text, protocol, params, seconds or 0.0, seed, out, args.runs)
        findings.save(found_dir, results)
        if in_process:
            campaign.clear_raw(found_dir)
    finally:
        target.close()
    rate = f"{figures['executions']:,} inputs in {figures['seconds']:.1f} s ({figures['per_second']:,}/s while fuzzing)"
    extra = (
        f", coverage {figures['coverage']}, corpus {figures['corpus']} inputs"
        if figures["coverage"] is not None
        else ""
    )
    print(f"{rate}{extra}", file=out)
    for found in results:
        print(f"FOUND  {found.line()}", file=out)
        print(f"       {found.detail}", file=out)
        print(f"       vector {found.vector.id} in {found_dir}; replay: {found.replay}", file=out)
    print(f"{len(results)} behaviour(s) found" if results else "no finding", file=out)
    return EXIT_FAIL if results else EXIT_OK
