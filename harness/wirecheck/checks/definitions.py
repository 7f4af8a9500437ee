"""The conformance properties: what each one generates and what it requires.

Each property draws a stream and a way of cutting it into reads, asks the oracle what a
conforming receiver must do with exactly those bytes, and compares with the target.
Nothing here names a protocol: payload sizes come from the configuration's limit, frames
from the protocol's encoder, corruptions from its strategy family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from hypothesis import strategies as st

from wirecheck import protocols
from wirecheck import strategies as ws
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.oracle import Observation, describe, judge
from wirecheck.strategies.base import Config, family_strategies
from wirecheck.strategies.frames import STREAM_PAYLOAD_CAP, marks_of
from wirecheck.vectors import Vector

from .behaviours import Failure, classify, refused_alone
from .case import Case, case_of, digest
from .probes import name_lost_frame, passes_whole
from .target import Target


@dataclass(frozen=True)
class Property:
    name: str
    summary: str
    #: (cfg, max_chunks) -> a strategy of Case
    cases: Callable[[Config, int | None], object]
    #: the flag of a vector this property finds (a family may name its own: ``property_flags``)
    flag: str
    #: compare the chunked delivery with a whole one, not (only) with the oracle
    against_whole: bool = False

    def flag_for(self, spec: ProtocolSpec) -> str:
        return family_strategies(spec).property_flags.get(self.name, self.flag)

    def vector(self, case: Case, ident: str = "") -> Vector:
        """``case`` as a golden vector found by this property."""
        return case.vector(
            ident or f"prop-{case.protocol}-{self.name.replace('_', '-')}-{digest(case)}",
            f"Found by the {self.name} property: {case.note or self.summary}",
            f"wirecheck property {self.name}",
            (self.flag_for(protocols.get(case.protocol)),),
        )


def _chunked(draw, cfg: Config, data: bytes, marks, max_chunks: int | None, note: str) -> Case:
    chunks = draw(ws.chunkings(data, favour=marks, max_chunks=max_chunks))
    return case_of(cfg.protocol, cfg.params, chunks, note)


def _round_trip(cfg: Config, max_chunks: int | None):
    streams = ws.streams(cfg.protocol, cfg.params, min_frames=1)

    @st.composite
    def cases(draw):
        stream = draw(streams)
        note = f"{len(stream.frames)} valid frames come back unchanged"
        return _chunked(draw, cfg, stream.data, stream.marks, max_chunks, note)

    return cases()


def _split_independence(cfg: Config, max_chunks: int | None):
    # "limit": a frame at the maximum give or take one byte, always cut at one of its own
    # critical offsets.  A receiver whose maximum depends on the split (a max-length CRLF line
    # refused when CR and LF arrive apart, a limit checked on the buffer rather than the frame)
    # fails only there: among 8 frames of any length such a cut is a 1-in-200 draw.
    sources = {
        "valid": ws.streams(cfg.protocol, cfg.params, min_frames=1).map(lambda s: (s.data, s.marks, ())),
        "hostile": ws.hostile_streams(cfg.protocol, cfg.params).map(lambda h: (h.data, h.marks, ())),
        "garbage": ws.garbage_streams(cfg.protocol, cfg.params).map(lambda g: (*g, ())),
    }
    if cfg.limit is not None and cfg.limit <= STREAM_PAYLOAD_CAP:  # a 4 MiB maximum: max_length_boundary's
        sources["limit"] = _around_the_limit(cfg).map(lambda drawn: (drawn[0], drawn[1], drawn[1][1:-1]))
    kinds = st.sampled_from(list(sources))

    @st.composite
    def cases(draw):
        data, marks, must = draw(sources[draw(kinds)])
        note = "the outcome is the same whole and cut into these reads"
        fewer = None if max_chunks is None else max(1, max_chunks - 1)
        chunks = draw(ws.chunkings(data, favour=marks, max_chunks=fewer))
        near = sorted({m + d for m in must for d in (-1, 0, 1) if 0 < m + d < len(data)})
        if near and (max_chunks is None or max_chunks > 1):  # on a critical offset, or one byte off it
            chunks = _cut_at(chunks, draw(st.sampled_from(sorted(must)) | st.sampled_from(near)))
        return case_of(cfg.protocol, cfg.params, chunks, note)

    return cases()


def _cut_at(chunks: list[bytes], at: int) -> list[bytes]:
    """``chunks`` with a read boundary at offset ``at`` (added if it is not one already)."""
    out, pos = [], 0
    for chunk in chunks:
        if pos < at < pos + len(chunk):
            out += [chunk[: at - pos], chunk[at - pos :]]
        else:
            out.append(chunk)
        pos += len(chunk)
    return out


def _no_marks(data: bytes) -> tuple:
    return data, ()


def _differential(cfg: Config, max_chunks: int | None):
    sources = st.one_of(ws.garbage_streams(cfg.protocol, cfg.params), st.binary(max_size=64).map(_no_marks))

    @st.composite
    def cases(draw):
        data, marks = draw(sources)
        note = "arbitrary bytes are handled as the reference handles them"
        return _chunked(draw, cfg, data, marks, max_chunks, note)

    return cases()


def _first_invalid(cfg: Config, max_chunks: int | None):
    hostile_streams = ws.hostile_streams(cfg.protocol, cfg.params)

    @st.composite
    def cases(draw):
        hostile = draw(hostile_streams)
        chunks = draw(ws.chunkings(hostile.data, favour=hostile.marks, max_chunks=max_chunks))
        note = f"corruption {hostile.corruption} at byte {hostile.at}; nothing after the first invalid byte"
        return Case(cfg.protocol, cfg.params, chunks, hostile.expected, hostile.alternatives, note)

    return cases()


def _boundary(cfg: Config, max_chunks: int | None):
    if cfg.limit is None:  # structured values: the limits are the family's own corruptions
        breakers = ws.hostile_streams(cfg.protocol, cfg.params, kinds=list(family_strategies(cfg.spec).limit_kinds))

        @st.composite
        def limit_cases(draw):
            hostile = draw(breakers)
            note = f"{cfg.protocol} limits: {hostile.corruption}"
            return _chunked(draw, cfg, hostile.data, hostile.marks, max_chunks, note)

        return limit_cases()

    @st.composite
    def cases(draw):
        data, marks, note = draw(_around_the_limit(cfg))
        return _chunked(draw, cfg, data, marks, max_chunks, note)

    return cases()


def _around_the_limit(cfg: Config):
    """A frame of max_length - 1, max_length or max_length + 1 bytes between a few valid ones:
    (stream, the offsets worth cutting at, a note).  The offsets are the big frame's own, its
    start and end first and last: the boundary is where a split changes the outcome."""
    top = cfg.limit
    size = st.sampled_from(sorted({n for n in (top - 1, top, top + 1) if n >= 0}))
    heads = st.binary(max_size=min(top + 1, 8))
    around = ws.streams(cfg.protocol, cfg.params, max_frames=2)
    frame = cfg.spec.frame_any_length

    @st.composite
    def streams(draw):
        n = draw(size)
        payload = cfg.fit(draw(heads)[:n])
        payload += cfg.filler * (n - len(payload))
        data = frame(cfg.params, payload)
        if data is None:  # the header cannot say max_length + 1: the largest it can say is the max
            payload = payload[:top]
            data = frame(cfg.params, payload)
        before, after = draw(around), draw(around)
        offset = len(before.data)
        marks = tuple(offset + m for m in marks_of(cfg, [data]))  # its start, insides and end
        note = f"a frame of {len(payload)} bytes against max_length {top}"
        return before.data + data + after.data, marks, note

    return streams()


def _burst(cfg: Config, max_chunks: int | None):
    bursts = ws.bursts(cfg.protocol, cfg.params)

    @st.composite
    def cases(draw):
        stream = draw(bursts)
        return case_of(cfg.protocol, cfg.params, [stream.data], f"{len(stream.frames)} frames in one write")

    return cases()


PROPERTIES = {
    p.name: p
    for p in (
        Property("round_trip", "valid frames, cut into any reads, come back complete and unchanged",
                 _round_trip, "Split"),
        Property("split_independence", "the outcome does not depend on how the stream is cut into reads",
                 _split_independence, "Split", against_whole=True),
        Property("differential", "on arbitrary bytes the target does what the reference does",
                 _differential, "Garbage"),
        Property("first_invalid", "frames before the first invalid byte are delivered, nothing after it",
                 _first_invalid, "Garbage"),
        Property("max_length_boundary", "max_length - 1 and max_length pass, max_length + 1 closes",
                 _boundary, "MaxLength"),
        Property("burst", "many frames in one write come back complete and in order", _burst, "Burst"),
    )
}  # fmt: skip

#: The property names, in the order runs go through them.
PROPERTY_NAMES = tuple(PROPERTIES)


class Checked(NamedTuple):
    """One example delivered: what went wrong ('' when it held), what was seen, and whether the
    failure is a disagreement between this cut and the whole stream.  ``whole``: what the whole
    stream gave then; ``cut_held``: the cut met the oracle, so the whole delivery is the one
    that failed."""

    problem: str
    observed: Observation | None
    split_dependent: bool = False
    whole: Observation | None = None
    cut_held: bool = False


def check_case(target: Target, prop: Property, case: Case) -> Checked:
    """Deliver one example; ``problem`` is '' when it holds."""
    vector = prop.vector(case, "prop")
    obs = target.deliver(vector, case.chunks)
    allowed = [a.expectation() for a in case.alternatives]
    if prop.against_whole and len(case.chunks) > 1:
        whole = target.deliver(vector, [case.data])
        if whole != obs:
            held = judge(case.expected.expectation(), allowed, obs, target.reports_reasons) is not None
            return Checked(f"outcome depends on the split: whole gave {describe(whole)}; {len(case.chunks)} reads "
                           f"gave {describe(obs)}", obs, True, whole, held)  # fmt: skip
    if judge(case.expected.expectation(), allowed, obs, target.reports_reasons) is None:
        return Checked(f"expected {describe(case.expected)}; observed {describe(obs)}", obs)
    return Checked("", obs)


#: Behaviours that a single cut cannot tell from a split-dependent one: a failing example that
#: shows one of these is delivered whole once more to find out.
SPLIT_SENSITIVE = frozenset(
    {"max-counts-delimiter", "max-off-by-one", "no-max", "valid-input-rejected", "delimiter-split-rejected",
     "frames-merged", "frames-before-error-dropped", "frames-dropped", "unclassified"}
)  # fmt: skip


#: Names that speak of one refused frame: the whole-stream question is asked about that frame alone.
ONE_FRAME = frozenset({"max-counts-delimiter", "max-off-by-one", "delimiter-split-rejected", "valid-input-rejected"})


def _failure(target: Target | None, case: Case, chunks, observed: Observation | None, split_dependent: bool,
             echoed: int | None = None) -> Failure:  # fmt: skip
    echoes = True if target is None else target.endpoint
    return Failure(case.protocol, case.params, chunks, case.expected.expectation(), observed, split_dependent,
                   echoes=echoes, echoed=echoed)  # fmt: skip


def behaviour_of(case: Case, observed: Observation | None, split_dependent: bool = False,
                 target: Target | None = None, echoed: int | None = None) -> str:  # fmt: skip
    """The named behaviour a failing example shows (``observed`` None: it timed out, having echoed
    ``echoed`` bytes while it went on reading)."""
    return classify(_failure(target, case, case.chunks, observed, split_dependent, echoed))


def example_behaviour(target: Target, prop: Property, case: Case, checked: Checked) -> str:
    """``behaviour_of`` a failing example, asking the target again where one delivery cannot tell:
    the whole stream when the cut may matter, the stream up to a lost frame (``probes``)."""
    if checked.cut_held and checked.whole is not None:  # the cut passed: name what the whole stream did
        return classify(_failure(target, case, [case.data], checked.whole, True))
    failure = _failure(target, case, case.chunks, checked.observed, checked.split_dependent)
    like = prop.vector(case, "prop")  # the vector the probes borrow their family and flags from
    name = name_lost_frame(target, failure, classify(failure), like)
    if checked.split_dependent or len(case.chunks) < 2 or name not in SPLIT_SENSITIVE:
        return name
    if name in ONE_FRAME:  # a frame at the maximum refused: ask about that frame alone, whole
        held = passes_whole(target, failure, like)
        if held is not None:  # whole it passes: that frame's refusal depends on the cut
            return refused_alone(failure, split_dependent=True) if held else name
    whole = Case(case.protocol, case.params, [case.data], case.expected, case.alternatives, case.note)
    try:
        again = check_case(target, prop, whole)
    except Exception:  # a timeout or error on the whole stream: the cut alone is the evidence
        return name
    return name if again.problem else behaviour_of(case, checked.observed, True, target)
