"""The conformance properties: what each one generates and what it requires.

Each property draws a stream and a way of cutting it into reads, asks the oracle what a
conforming receiver must do with exactly those bytes, and compares with the target.
Nothing here names a protocol: payload sizes come from the configuration's limit, frames
from the protocol's encoder, corruptions from its strategy family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from wirecheck import protocols
from wirecheck import strategies as ws
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.oracle import Observation, describe, judge
from wirecheck.strategies.base import Config, family_strategies
from wirecheck.strategies.frames import marks_of
from wirecheck.vectors import Vector

from .case import Case, case_of, digest
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
    kinds = st.sampled_from(["valid", "hostile", "garbage"])
    streams = ws.streams(cfg.protocol, cfg.params, min_frames=1)
    hostile_streams = ws.hostile_streams(cfg.protocol, cfg.params)
    garbage = ws.garbage_streams(cfg.protocol, cfg.params)

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
        note = "the outcome is the same whole and cut into these reads"
        return _chunked(draw, cfg, data, marks, max_chunks, note)

    return cases()


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

    top = cfg.limit
    size = st.sampled_from(sorted({n for n in (top - 1, top, top + 1) if n >= 0}))
    heads = st.binary(max_size=min(top + 1, 8))
    around = ws.streams(cfg.protocol, cfg.params, max_frames=2)
    frame = cfg.spec.frame_any_length

    @st.composite
    def cases(draw):
        n = draw(size)
        payload = cfg.fit(draw(heads)[:n])
        payload += cfg.filler * (n - len(payload))
        data = frame(cfg.params, payload)
        if data is None:  # the header cannot say max_length + 1: the largest it can say is the max
            payload = payload[:top]
            data = frame(cfg.params, payload)
        before, after = draw(around), draw(around)
        offset = len(before.data)
        marks = (*before.marks, *(offset + m for m in marks_of(cfg, [data])),
                 *(offset + len(data) + m for m in after.marks))  # fmt: skip
        note = f"a frame of {len(payload)} bytes against max_length {top}"
        return _chunked(draw, cfg, before.data + data + after.data, marks, max_chunks, note)

    return cases()


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


def check_case(target: Target, prop: Property, case: Case) -> tuple[str, Observation | None]:
    """Deliver one example; return ('', obs) when it holds, else (what went wrong, obs)."""
    vector = prop.vector(case, "prop")
    obs = target.deliver(vector, case.chunks)
    if prop.against_whole and len(case.chunks) > 1:
        whole = target.deliver(vector, [case.data])
        if whole != obs:
            return (f"outcome depends on the split: whole gave {describe(whole)}; {len(case.chunks)} reads gave "
                    f"{describe(obs)}", obs)  # fmt: skip
    allowed = [a.expectation() for a in case.alternatives]
    if judge(case.expected.expectation(), allowed, obs, target.reports_reasons) is None:
        return f"expected {describe(case.expected)}; observed {describe(obs)}", obs
    return "", obs
