"""Conformance properties: checks that hold for every conforming target, found by Hypothesis.

Golden vectors pin down what someone thought of; these generate what no one did.
Each property draws a stream and a way of cutting it into reads, asks the oracle
(the reference codecs) what a conforming receiver must do with it, delivers it to
the target and compares.  They work on any Target: in-process, a Python library
through an adapter, or a socket endpoint.

    from harness.properties import check_property
    check_property(target, "split_independence", "line", {"max_length": 64})

``check_property`` raises ``PropertyFailure`` (an AssertionError) carrying the shrunk
example as a golden-format vector and the ``wirecheck replay`` command that runs it
again; ``run_property`` returns the same as a ``PropertyResult`` instead.
"""

from __future__ import annotations

import hashlib
import json
import random
import shlex
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as seeded
from hypothesis import strategies as st
from hypothesis.errors import Flaky, HypothesisWarning

from harness import strategies as ws
from harness.codecs import intprefix
from harness.oracle import Observation, predict
from harness.runner import describe
from harness.strategies.frames import encoder, marks_of
from harness.targets.base import EndpointUnavailable, TargetTimeout, Unsupported
from harness.vectors import Expectation, Vector

FAMILIES = {"netstring": "netstring", "int8": "intprefix", "int16": "intprefix", "int32": "intprefix",
            "line": "lines", "banana": "banana"}  # fmt: skip

PASS, FAIL, ERROR, UNIMPLEMENTED = "pass", "fail", "error", "unimplemented"


def full_params(protocol: str, params: dict | None = None) -> dict:
    """A vector group's complete parameters for this configuration (what the schema requires)."""
    cfg = ws.config(protocol, params)
    if protocol == "banana":
        return {"role": "peer", "dialect": cfg.dialect.decode(), "strict": cfg.strict}
    out: dict = {"max_length": (params or {}).get("max_length", cfg.max_length)}
    if protocol == "line":
        out = {"delimiter": cfg.delimiter.hex(), "max_length": out["max_length"]}
    return out


@dataclass
class Case:
    """One generated example: a stream, how it is cut into reads, and what must happen."""

    protocol: str
    params: dict
    chunks: list
    expected: Observation
    alternatives: list = field(default_factory=list)
    note: str = ""

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    def vector(self, prop: Property, ident: str = "") -> Vector:
        def expectation(obs: Observation) -> Expectation:
            return Expectation(tuple(obs.frames), obs.outcome())

        status = self.expected.status
        result = "acceptable" if self.alternatives else ("invalid" if status == "close" else "valid")
        flag = prop.flags.get(FAMILIES[self.protocol], prop.flags["*"])
        data = self.data
        return Vector(
            id=ident or f"prop-{self.protocol}-{prop.name.replace('_', '-')}-{_digest(self)}",
            family=FAMILIES[self.protocol],
            protocol=self.protocol,
            params=self.params,
            description=f"Found by the {prop.name} property: {self.note or prop.summary}",
            ref=f"wirecheck property {prop.name}",
            flags=(flag,),
            input=data,
            chunks=tuple(self.chunks) if len(self.chunks) > 1 else None,
            expected=expectation(self.expected),
            result=result,
            alternatives=tuple(expectation(a) for a in self.alternatives),
        )


def _digest(case: Case) -> str:
    h = hashlib.sha256(json.dumps(case.params, sort_keys=True).encode())
    for chunk in case.chunks:
        h.update(len(chunk).to_bytes(8, "big") + chunk)
    return h.hexdigest()[:10]


def vector_json(vector: Vector) -> dict:
    """The vector as it would appear in a golden file's group."""
    out: dict = {
        "id": vector.id,
        "description": vector.description,
        "ref": vector.ref,
        "flags": list(vector.flags),
        "input": vector.input.hex(),
    }
    if vector.chunks is not None:
        out["chunks"] = [c.hex() for c in vector.chunks]
    out.update(vector.expected.to_json())
    out["result"] = vector.result
    if vector.alternatives:
        out["alternatives"] = [a.to_json() for a in vector.alternatives]
    return out


# --- the properties ------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a target can take: socket targets pace each write, so they get fewer of them."""

    max_chunks: int | None = None


@dataclass(frozen=True)
class Property:
    name: str
    summary: str
    #: (protocol, params, limits) -> strategy of Case
    cases: Callable
    #: family -> flag for a found vector ("*": any family)
    flags: dict
    #: compare the chunked delivery with a whole one, not (only) with the oracle
    against_whole: bool = False


def _case(protocol, params, chunks, note="") -> Case:
    expected, alternatives = predict(protocol, params, b"".join(chunks))
    return Case(protocol, params, chunks, expected, alternatives, note)


def _round_trip(protocol, params, limits):
    streams = ws.streams(protocol, params, min_frames=1)

    @st.composite
    def cases(draw):
        stream = draw(streams)
        chunks = draw(ws.chunkings(stream.data, favour=stream.marks, max_chunks=limits.max_chunks))
        return _case(protocol, params, chunks, f"{len(stream.frames)} valid frames come back unchanged")

    return cases()


def _split_independence(protocol, params, limits):
    kinds = st.sampled_from(["valid", "hostile", "garbage"])
    streams = ws.streams(protocol, params, min_frames=1)
    hostile_streams = ws.hostile_streams(protocol, params)
    garbage = ws.garbage_streams(protocol, params)

    @st.composite
    def cases(draw):
        kind = draw(kinds)
        if kind == "valid":
            stream = draw(streams)
            data, marks = stream.data, stream.marks
        elif kind == "hostile":
            hostile = draw(hostile_streams)
            data, marks = hostile.data, hostile.marks
        else:
            data, marks = draw(garbage)
        chunks = draw(ws.chunkings(data, favour=marks, max_chunks=limits.max_chunks))
        return _case(protocol, params, chunks, "the outcome is the same whole and cut into these reads")

    return cases()


def _no_marks(data: bytes) -> tuple:
    return data, ()


def _differential(protocol, params, limits):
    streams = st.one_of(ws.garbage_streams(protocol, params), st.binary(max_size=64).map(_no_marks))

    @st.composite
    def cases(draw):
        data, marks = draw(streams)
        chunks = draw(ws.chunkings(data, favour=marks, max_chunks=limits.max_chunks))
        return _case(protocol, params, chunks, "arbitrary bytes are handled as the reference handles them")

    return cases()


def _first_invalid(protocol, params, limits):
    hostile_streams = ws.hostile_streams(protocol, params)

    @st.composite
    def cases(draw):
        hostile = draw(hostile_streams)
        chunks = draw(ws.chunkings(hostile.data, favour=hostile.marks, max_chunks=limits.max_chunks))
        note = f"corruption {hostile.corruption} at byte {hostile.at}; nothing after the first invalid byte"
        return Case(protocol, params, chunks, hostile.expected, hostile.alternatives, note)

    return cases()


def _boundary(protocol, params, limits):
    cfg = ws.config(protocol, params)
    if protocol == "banana":
        limit_breakers = ws.hostile_streams(protocol, params, kinds=["over_max", "prefix_too_long"])
    else:
        top = cfg.max_length
        size = st.sampled_from(sorted({n for n in (top - 1, top, top + 1) if n >= 0}))
        heads = st.binary(max_size=min(top + 1, 8))
        around = ws.streams(protocol, params, max_frames=2)

    @st.composite
    def cases(draw):
        if protocol == "banana":
            hostile = draw(limit_breakers)
            data, marks = hostile.data, hostile.marks
            note = f"Banana limits: {hostile.corruption}"
        else:
            n = draw(size)
            head = draw(heads)[:n]
            if protocol == "line":
                head = ws.line_safe(head, cfg.delimiter)
            payload = head + cfg.filler * (n - len(head))
            data = _frame_of_any_length(cfg, payload)
            if data is None:
                payload = payload[:top]
                data = _frame_of_any_length(cfg, payload)
            before, after = draw(around), draw(around)
            offset = len(before.data)
            marks = (*before.marks, *(offset + m for m in marks_of(cfg, [data])),
                     *(offset + len(data) + m for m in after.marks))  # fmt: skip
            data = before.data + data + after.data
            note = f"a frame of {len(payload)} bytes against max_length {top}"
        chunks = draw(ws.chunkings(data, favour=marks, max_chunks=limits.max_chunks))
        return _case(protocol, params, chunks, note)

    return cases()


def _frame_of_any_length(cfg, payload: bytes) -> bytes | None:
    """The frame for ``payload`` even when it is over max_length (None if the format cannot say it)."""
    p = cfg.protocol
    if p == "netstring":
        return b"%d:%s," % (len(payload), payload)
    if p == "line":
        return payload + cfg.delimiter
    width = intprefix.WIDTHS[p]
    if len(payload) >= 256**width:
        return None
    return len(payload).to_bytes(width, "big") + payload


def _burst(protocol, params, limits):
    bursts = ws.bursts(protocol, params)

    @st.composite
    def cases(draw):
        stream = draw(bursts)
        return _case(protocol, params, [stream.data], f"{len(stream.frames)} frames in one write")

    return cases()


PROPERTIES = {
    p.name: p
    for p in (
        Property("round_trip", "valid frames, cut into any reads, come back complete and unchanged",
                 _round_trip, {"*": "Split"}),
        Property("split_independence", "the outcome does not depend on how the stream is cut into reads",
                 _split_independence, {"*": "Split"}, against_whole=True),
        Property("differential", "on arbitrary bytes the target does what the reference does",
                 _differential, {"*": "Garbage"}),
        Property("first_invalid", "frames before the first invalid byte are delivered, nothing after it",
                 _first_invalid, {"*": "Garbage"}),
        Property("max_length_boundary", "max_length - 1 and max_length pass, max_length + 1 closes",
                 _boundary, {"*": "MaxLength", "banana": "SizeLimit"}),
        Property("burst", "many frames in one write come back complete and in order",
                 _burst, {"*": "Burst", "banana": "List"}),
    )
}  # fmt: skip


# --- running them ----------------------------------------------------------------------


@dataclass
class PropertyResult:
    name: str
    protocol: str
    params: dict
    verdict: str = PASS
    examples: int = 0
    duration: float = 0.0
    seed: int = 0
    detail: str = ""
    vector: Vector | None = None
    observed: Observation | None = None
    replay: str = ""
    flaky: bool = False

    def report(self) -> str:
        """A multi-line account of a failure: what went wrong, the vector, the replay command."""
        lines = [f"{self.verdict.upper():10} property {self.name} ({self.protocol} {json.dumps(self.params)}), "
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


#: Vectors longer than this (as JSON) are not printed in a report, only saved and replayable.
PRINT_VECTOR_UP_TO = 4096


class PropertyFailure(AssertionError):
    def __init__(self, result: PropertyResult) -> None:
        super().__init__(result.report())
        self.result = result


def _matches_any(case: Case, obs: Observation, exact: bool) -> bool:
    from harness.oracle import matches

    for want in (case.expected, *case.alternatives):
        if matches(Expectation(tuple(want.frames), want.outcome()), obs, exact):
            return True
    return False


def check_case(target, prop: Property, case: Case) -> tuple[str, Observation | None]:
    """Deliver one example; return ('', obs) when it holds, else (what went wrong, obs)."""
    vector = case.vector(prop, "prop")
    obs = target.deliver(vector, case.chunks)
    if prop.against_whole and len(case.chunks) > 1:
        whole = target.deliver(vector, [case.data])
        if whole != obs:
            return f"outcome depends on the split: whole gave {describe(whole)}; {len(case.chunks)} reads gave " \
                   f"{describe(obs)}", obs  # fmt: skip
    if not _matches_any(case, obs, getattr(target, "reports_reasons", False)):
        return f"expected {describe(case.expected)}; observed {describe(obs)}", obs
    return "", obs


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
    prop = PROPERTIES[name]
    params = full_params(protocol, params)
    seed = random.randrange(2**32) if seed is None else seed
    limits = Limits(getattr(target, "property_max_chunks", None))
    result = PropertyResult(name, protocol, params, seed=seed)
    best: dict = {}
    failed: set = set()  # every example that failed, so a replay after the budget still fails
    stopped: list[str] = []
    started = time.monotonic()

    def attempt(case: Case) -> None:
        key = _digest(case)  # a digest, not the bytes: failures can be many and 100 KB each
        over = (deadline is not None and time.monotonic() >= deadline) or stopped
        if best and (time.monotonic() - best["at"] > shrink_budget):
            over = True
        if over:
            if key in failed:
                raise AssertionError(best["problem"])  # the final replay of the shrunk example
            return
        result.examples += 1
        try:
            problem, obs = check_case(target, prop, case)
        except TargetTimeout as exc:
            problem, obs = f"timeout: {exc}", None
        except EndpointUnavailable as exc:
            stopped.append(f"{ERROR}:{exc}")
            return
        except Unsupported as exc:
            stopped.append(f"{UNIMPLEMENTED}:{exc}")
            return
        except Exception as exc:  # a target failing is reported, never raised
            stopped.append(f"{ERROR}:{type(exc).__name__}: {exc}")
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
    )(given(prop.cases(protocol, params, limits))(attempt))
    test = seeded(seed)(test)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HypothesisWarning)
            test()
    except Flaky:
        result.flaky = True
    except AssertionError:
        pass
    if best and not stopped:
        reduce_until = best["at"] + shrink_budget
        if deadline is not None:
            reduce_until = min(reduce_until, deadline)
        best.update(_reduce(target, prop, best["case"], best["problem"], best["obs"], reduce_until))
    result.duration = time.monotonic() - started
    if stopped:
        result.verdict, result.detail = stopped[0].split(":", 1)
    if best:
        case = best["case"]
        result.verdict, result.detail, result.observed = FAIL, best["problem"], best["obs"]
        result.vector = case.vector(prop)
        result.replay = replay_command(case, replay_target)
    return result


def frame_boundaries(protocol: str, params: dict, data: bytes) -> list[int]:
    """Offsets where the reference finishes a frame (0 and the end included)."""
    from harness.codecs import NOT_FRAMES
    from harness.oracle import make_decoder

    decoder = make_decoder(protocol, params)
    out = [0]
    for i in range(len(data)):
        events = decoder.feed(data[i : i + 1])
        if any(not isinstance(e, NOT_FRAMES) for e in events):
            out.append(i + 1)
        if decoder.error is not None:
            break
    if out[-1] != len(data):
        out.append(len(data))
    return out


REDUCE_TRIALS = 400


def _reduce(target, prop: Property, case: Case, problem: str, obs, until: float) -> dict:
    """Shrink a failing case further than Hypothesis can.

    Hypothesis draws cut points as absolute offsets, so deleting a frame moves every
    cut after it and the failure usually goes.  Here whole frames (and runs of them)
    are deleted with the cuts moved along, then cuts are dropped one at a time.  The
    oracle re-predicts each candidate, so every accepted step is still a correct
    vector.  Bounded by ``until`` and REDUCE_TRIALS deliveries.
    """
    best = {"case": case, "problem": problem, "obs": obs}
    trials = 0

    def fails(candidate: Case) -> bool:
        nonlocal trials
        trials += 1
        try:
            found, seen = check_case(target, prop, candidate)
        except Exception:  # a timeout or error while reducing: keep what we have
            return False
        if found:
            best.update(case=candidate, problem=found, obs=seen)
        return bool(found)

    def budget_left() -> bool:
        return trials < REDUCE_TRIALS and time.monotonic() < until

    progress = True
    while progress and budget_left():
        progress = False
        current = best["case"]
        data, cuts = current.data, _cuts(current.chunks)
        bounds = frame_boundaries(current.protocol, current.params, data)
        spans = [(a, b) for i, a in enumerate(bounds) for b in bounds[i + 1 :] if (a, b) != (0, len(data))]
        spans.sort(key=lambda span: span[0] - span[1])  # biggest first
        for a, b in spans:
            if not budget_left():
                break
            kept = [c if c < a else c - (b - a) for c in cuts if not a <= c < b]
            candidate = _rebuild(current, data[:a] + data[b:], kept)
            if candidate is not None and fails(candidate):
                progress = True
                break
        if progress:
            continue
        for c in cuts:
            if not budget_left():
                break
            candidate = _rebuild(current, data, [x for x in cuts if x != c])
            if candidate is not None and fails(candidate):
                progress = True
                break
    return best


def _cuts(chunks: list) -> list[int]:
    out, pos = [], 0
    for chunk in chunks[:-1]:
        pos += len(chunk)
        out.append(pos)
    return out


def _rebuild(case: Case, data: bytes, cuts: list[int]) -> Case | None:
    cuts = sorted({c for c in cuts if 0 < c < len(data)})
    if not data:
        return None
    bounds = [0, *cuts, len(data)]
    chunks = [data[a:b] for a, b in pairwise(bounds)]
    expected, alternatives = predict(case.protocol, case.params, data)
    return Case(case.protocol, case.params, chunks, expected, alternatives)


def _size(case: Case) -> tuple:
    return (len(case.data), len(case.chunks), case.chunks)


def check_property(target, name: str, protocol: str, params: dict | None = None, **options) -> PropertyResult:
    """``run_property``, raising PropertyFailure unless the property held."""
    result = run_property(target, name, protocol, params, **options)
    if result.verdict != PASS:
        raise PropertyFailure(result)
    return result


# --- replay ------------------------------------------------------------------------------

RUN_AT_LEAST = 8


def compact_hex(data: bytes) -> str:
    """Hex with long runs of one byte written ``61*16384``; tokens joined by '+'."""
    out, i, literal = [], 0, bytearray()
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i]:
            j += 1
        if j - i >= RUN_AT_LEAST:
            if literal:
                out.append(literal.hex())
                literal = bytearray()
            out.append(f"{data[i]:02x}*{j - i}")
        else:
            literal += data[i:j]
        i = j
    if literal or not out:
        out.append(literal.hex())
    return "+".join(out)


def parse_compact_hex(text: str, limit: int = 64 << 20) -> bytes:
    """The inverse of compact_hex; ValueError on anything malformed."""
    out = bytearray()
    for token in text.split("+"):
        token = token.strip()
        if "*" in token:
            byte, _, count = token.partition("*")
            if len(byte) != 2 or not count.isdigit():
                raise ValueError(f"{token!r}: a run is two hex digits, '*' and a count, e.g. 61*100")
            n = int(count)
            if len(out) + n > limit:
                raise ValueError(f"more than {limit} bytes")
            out += bytes.fromhex(byte) * n
        else:
            out += bytes.fromhex(token)
    return bytes(out)


def replay_command(case: Case, target: str = "") -> str:
    """The one command line that runs this case again."""
    words = ["wirecheck", "replay", "--protocol", case.protocol]
    params = case.params
    if "max_length" in params:
        words += ["--max-length", str(params["max_length"])]
    if "delimiter" in params:
        words += ["--delimiter", "hex:" + params["delimiter"]]
    if case.protocol == "banana":
        words += ["--dialect", params["dialect"]] + (["--strict"] if params.get("strict") else [])
    words += ["--chunks", ",".join(compact_hex(c) for c in case.chunks) or '""']
    if target:
        words += ["--target", target]
    return " ".join(shlex.quote(w) if w != '""' else w for w in words)


# --- a run's worth of properties -------------------------------------------------------


def configurations(protocols, params: dict) -> list[tuple[str, dict]]:
    """(protocol, full params) for each property run: one per protocol, one per Banana dialect.

    ``params`` are a run's parameter options (``max_length``, ``delimiter``,
    ``dialect``, ``dialects``, ``strict``); what is not given takes the endpoint
    defaults.  Banana handshake roles are left to the golden vectors.
    """
    out = []
    for protocol in protocols:
        if protocol == "banana":
            if params.get("role", "peer") != "peer":
                continue
            dialects = [params["dialect"]] if "dialect" in params else list(params.get("dialects", ["pb", "none"]))
            for dialect in dialects:
                if dialect in ("pb", "none"):
                    out.append((protocol, full_params(protocol, {"dialect": dialect,
                                                                 "strict": bool(params.get("strict"))})))  # fmt: skip
            continue
        given = {k: params[k] for k in ("max_length", "delimiter") if k in params}
        if protocol != "line":
            given.pop("delimiter", None)
        if "max_length" not in given and protocol in ("netstring", "int8", "int16", "int32"):
            given["max_length"] = 99999
        out.append((protocol, full_params(protocol, given)))
    return out


def sanity_vector(protocol: str, params: dict) -> Vector:
    """A plain valid frame every working endpoint of this configuration echoes."""
    cfg = ws.config(protocol, params)
    value = [b"wirecheck", 1] if protocol == "banana" else b"wirecheck"[: cfg.max_length]
    data = encoder(cfg)(value)
    expected, _ = predict(protocol, params, data)
    case = Case(protocol, params, [data], expected)
    return case.vector(PROPERTIES["round_trip"], f"sanity-{protocol}")


def replay_case(protocol: str, params: dict, chunks: list[bytes]) -> Vector:
    """The vector ``wirecheck replay`` runs: these reads, with the oracle's expectation."""
    params = full_params(protocol, params)
    data = b"".join(chunks)
    expected, alternatives = predict(protocol, params, data)
    case = Case(protocol, params, list(chunks), expected, alternatives)
    vector = case.vector(PROPERTIES["differential"], "replay")
    return vector
