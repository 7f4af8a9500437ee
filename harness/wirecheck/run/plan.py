"""Planning a run: which property configurations, which sanity case, which handshake cases.

The sanity case is the plainest valid frame of the run's configuration: an endpoint
must echo it before the run (else it is misconfigured or broken, and every failure
after would be noise) and still echo it after (else it degraded during the run).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from wirecheck import protocols
from wirecheck.checks import Target, case_of
from wirecheck.checks.definitions import PROPERTIES
from wirecheck.errors import EndpointUnavailable, RunDeadline, TargetError, TargetTimeout, Unsupported, UsageError
from wirecheck.oracle import describe, matches
from wirecheck.vectors import Vector

#: Seconds between the sanity frame and the sentinel: the sanity case asks "does it still
#: answer?", not "does it merge frames that arrive together?" (the run asks that).
SANITY_SETTLE = 0.05


def configurations(names, params: dict) -> list[tuple[str, dict]]:
    """(protocol, complete config) for each property run: the stream configurations of an
    endpoint configured with ``params`` (what is not given takes the endpoint defaults)."""
    out = []
    for name in names:
        spec = protocols.get(name)
        given = {k: v for k, v in params.items() if spec.param(k) is not None}
        out += [(name, config) for config in protocols.stream_configs(spec, given)]
    return out


def sanity_from_vectors(vectors: list[Vector]) -> Vector | None:
    """The plainest valid vector with one non-empty frame: what any working endpoint echoes."""
    candidates = [
        v for v in vectors
        if v.result == "valid" and v.expected.outcome["status"] == "ok" and len(v.expected.frames) == 1
        and v.expected.frames[0] != "" and v.chunks is None
        and protocols.get(v.protocol).handshake_role(v.params) is None
    ]  # fmt: skip
    plain = [v for v in candidates if {"Spec", "Basic"} & set(v.flags)] or candidates
    return min(plain, key=lambda v: len(v.input), default=None)


def sanity_from_oracle(protocol: str, config: dict) -> Vector:
    """A plain valid frame every working endpoint of this configuration echoes."""
    spec = protocols.get(protocol)
    limit = spec.limit(config)
    value = [b"wirecheck", 1] if spec.structured else b"wirecheck"[:limit]
    case = case_of(protocol, config, [spec.encoder(config, None)(value)])
    return PROPERTIES["round_trip"].vector(case, f"sanity-{protocol}")


@dataclass
class Sanity:
    """What the sanity case found: ``problem`` is '' when it passed, else one line that says
    what the endpoint did, and ``kind`` names it (``refused``, ``unresolvable``,
    ``unreachable``, ``unavailable``, ``silent``, ``slow``, ``closes-at-once``, ``floods``,
    ``garbage``, ``no-client``, ``deadline``, ``error``)."""

    problem: str = ""
    kind: str = ""

    def __bool__(self) -> bool:
        return bool(self.problem)


def sanity(target: Target, vector: Vector, attempts: int = 1) -> Sanity:
    """Deliver the sanity vector whole; what went wrong, if anything.

    After a run it gets a few attempts: an endpoint whose bug is timing-dependent (merging
    frames that arrive together) can fail it once without having degraded.
    """
    found = Sanity()
    for _ in range(attempts):
        try:
            obs = target.deliver(vector, [vector.input], settle=SANITY_SETTLE)
        except Exception as exc:  # any failure to drive the endpoint is the answer here
            found = _unanswered(exc)
            continue
        if matches(vector.expected, obs, exact=False):
            return Sanity()
        found = _misanswered(vector, obs)
    return found


def preflight(target: Target, vector: Vector) -> Sanity:
    """The sanity case before a run, with the configuration question settled: an endpoint
    that closes the connection on a frame its configuration allows may just have a smaller
    maximum, which is a usage error (the message suggests the option), not a broken endpoint."""
    found = sanity(target, vector)
    if found.kind == "closes-at-once":
        size = 0 if protocols.get(vector.protocol).structured else len(bytes.fromhex(vector.expected.frames[0]))
        mismatch = configuration_error(target, vector.protocol, vector.params, size)
        if mismatch:
            raise UsageError(mismatch)
    return found


def _unanswered(exc: Exception) -> Sanity:
    text = str(exc)
    if isinstance(exc, EndpointUnavailable):
        return Sanity(f"{text} ({exc.kind})", exc.kind)
    if isinstance(exc, TargetTimeout):
        if exc.kind == "no-client":
            return Sanity(f"{text}: no client under test connected", "no-client")
        if exc.received:
            return Sanity(f"the endpoint answered, but not with the echo of the frames sent, in time ({text})", "slow")
        return Sanity(f"the endpoint accepted the connection and answered nothing ({text})", "silent")
    if isinstance(exc, Unsupported):  # the target cannot run this configuration: no word on its health
        return Sanity()
    if isinstance(exc, RunDeadline):
        return Sanity(text, "deadline")
    return Sanity(f"{type(exc).__name__}: {text}", "error")


def _misanswered(vector: Vector, obs) -> Sanity:
    seen = f"expected {describe(vector.expected)}; observed {describe(obs)}"
    if obs.status == "close" and not obs.problems and not obs.frames:
        return Sanity(f"the endpoint closed the connection without echoing a valid frame ({seen})", "closes-at-once")
    if any("flood" in p for p in obs.problems):
        return Sanity(f"the endpoint floods: it sent far more than it was sent ({seen})", "floods")
    return Sanity(f"the endpoint answers what the protocol does not ({seen})", "garbage")


def _probe(spec, config: dict, size: int) -> Vector:
    from wirecheck.strategies import config as resolve

    cfg = resolve(spec.name, config)
    payload = cfg.fit(cfg.filler * size)
    case = case_of(spec.name, config, [spec.frame_any_length(config, payload)])
    return PROPERTIES["round_trip"].vector(case, f"probe-{spec.name}-{size}")


def configuration_error(target: Target, protocol: str, params: dict, frame_size: int) -> str:
    """The message for an endpoint that closed the connection on the sanity frame, a valid
    frame of ``frame_size`` bytes, when it looks configured with a smaller maximum than the
    run's: a binary search finds the longest frame it accepts, to suggest.  '' when it accepts
    no frame with a payload at all: that is no other maximum but a framing it does not speak
    as configured (a byte order, a prefix width), which the vectors show as failures."""
    spec = protocols.get(protocol)
    configs = protocols.stream_configs(spec, params)
    config = configs[0] if configs else None
    top = spec.limit(config) if config is not None else None
    head = (f"likely a configuration error, not a conformance failure: the endpoint closed the connection "
            f"on a valid {frame_size}-byte {protocol} frame")  # fmt: skip
    if top is None or spec.frame_any_length is None:
        return ""

    def accepts(size: int) -> bool:
        # Probed as an endpoint of that maximum would be, so that the sentinel fits it too.
        vector = _probe(spec, {**config, "max_length": size} if "max_length" in config else config, size)
        try:
            obs = target.deliver(vector, [vector.input], settle=SANITY_SETTLE)
        except Exception:
            return False
        return matches(vector.expected, obs, exact=False)

    if frame_size < 2 or not accepts(1):
        return ""
    lo, hi = 1, frame_size  # lo is accepted, hi is not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if accepts(mid) else (lo, mid)
    return head + (
        f" (max_length {top} allows it); it accepts frames up to {lo} bytes: "
        f"if that is its maximum, run with --max-length {lo}"
    )


def handshake_cases(target: Target) -> list[Vector]:
    """The handshake cases for a server's actual offer (a protocol whose connections open
    with a handshake, tested with --target)."""
    from wirecheck.targets.handshake import BadOffer
    from wirecheck.targets.handshake import handshake_cases as cases_for

    try:
        offer = target.offer()
    except BadOffer:
        offer = None  # the cases then fail on the offer, with its reason
    except TargetError as exc:
        raise UsageError(f"cannot read the handshake offer: {exc}") from None
    return cases_for(offer)


def remaining(ends: float) -> float:
    return max(0.001, ends - time.monotonic())
