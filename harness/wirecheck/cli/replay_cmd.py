"""``wirecheck replay``: one stream, cut into given reads, against a target."""

from __future__ import annotations

import json

from wirecheck import protocols
from wirecheck.checks import Verdict, parse_compact_hex, replay_case, run_case, vector_json
from wirecheck.errors import UsageError
from wirecheck.oracle import describe
from wirecheck.run import EXIT_FAIL, EXIT_OK, EXIT_USAGE, RunOptions, open_target

from .parser import params_from


def main(args, out) -> int:
    spec = protocols.get(args.protocol)
    params = protocols.check(spec, params_from(args))
    try:
        chunks = [parse_compact_hex(c) for c in args.chunks.split(",")] if args.chunks else []
    except ValueError as exc:
        raise UsageError(f"--chunks: {exc}") from None
    chunks = [c for c in chunks if c]
    if not chunks:
        raise UsageError("--chunks: no bytes to send")
    vector = replay_case(args.protocol, params, chunks)
    if args.print_vector:
        print(json.dumps(vector_json(vector)), file=out)
    options = RunOptions(protocols=[args.protocol], target=args.target, listen=args.listen,
                         timeout=args.timeout, delay=args.delay)  # fmt: skip
    if args.target is not None and args.listen is not None:
        raise UsageError("--target and --listen exclude each other: test a server or a client")
    target = open_target(options)
    if args.listen is not None:
        print(f"listening on {target.host}:{target.port}", file=out, flush=True)
    try:
        case = run_case(target, vector, chunks_first=True)
    finally:
        target.close()
    size = sum(map(len, chunks))
    print(f"replay: {args.protocol} {json.dumps(vector.params)}, {size} bytes in {len(chunks)} reads, "
          f"against {target.name}", file=out)  # fmt: skip
    print(f"expected: {describe(vector.expected)}", file=out)
    for alt in vector.alternatives:
        print(f"     or: {describe(alt)}", file=out)
    if case.observed is not None:
        print(f"observed: {describe(case.observed)}" + (f" [{case.delivery}]" if case.delivery else ""), file=out)
    detail = f": {case.detail}" if case.detail and case.verdict != Verdict.PASS else ""
    print(f"{case.verdict.word}{detail}", file=out)
    if case.verdict == Verdict.UNIMPLEMENTED:
        return EXIT_USAGE
    return EXIT_FAIL if case.verdict.failing else EXIT_OK
