"""Streams that are valid except for one corruption, with the outcome the oracle predicts.

A hostile stream is a few valid frames, one corrupted frame, and more valid frames
after it.  The test never guesses what should happen: ``expected`` is what the
reference codec does with exactly these bytes (and ``alternatives`` what else a
conforming receiver may do), so a corruption that happens to leave the stream valid
(a changed length byte can) is checked as the valid stream it became.  The kinds of
corruption are each family's own (``wirecheck.strategies.<family>``).
"""

from __future__ import annotations

from typing import NamedTuple

from hypothesis import strategies as st

from wirecheck import protocols
from wirecheck.oracle import Observation, predict

from .base import bytes_with_interesting, config, family_strategies
from .frames import frames_for, marks_of


class Hostile(NamedTuple):
    data: bytes
    corruption: str  # which corruption (a key of CORRUPTIONS[protocol])
    at: int  # stream offset of the corrupted frame
    valid_before: list  # the frames before it, which a receiver must still deliver
    marks: tuple  # offsets worth splitting at
    expected: Observation  # what the reference does with ``data``
    alternatives: list  # other observations a conforming receiver may give


def corruptions() -> dict[str, dict[str, str]]:
    """protocol -> corruption kind -> what it does, for every registered protocol."""
    return {spec.name: dict(family_strategies(spec).corruptions) for spec in protocols.specs()}


def hostile_streams(protocol: str, params: dict | None = None, kinds: list[str] | None = None):
    """A valid stream with one corruption in it, and the outcome the oracle predicts."""
    cfg = config(protocol, params)
    family = family_strategies(cfg.spec)
    allowed = family.kinds(cfg)
    kind_s = st.sampled_from([k for k in allowed if kinds is None or k in kinds] or allowed)
    one = frames_for(cfg)
    before_s, after_s = st.lists(one, max_size=3), st.lists(one, min_size=1, max_size=3)

    @st.composite
    def build(draw) -> Hostile:
        kind = draw(kind_s)
        before, victim, after = draw(before_s), draw(one), draw(after_s)
        bad = family.corrupt(draw, kind, victim.data, cfg)
        pieces = [f.data for f in before] + [bad] + [f.data for f in after]
        data = b"".join(pieces)
        expected, alternatives = predict(cfg.spec, cfg.params, data)
        at = sum(len(f.data) for f in before)
        return Hostile(data, kind, at, [f.value for f in before], marks_of(cfg, pieces), expected, alternatives)

    return build()


def garbage_streams(protocol: str, params: dict | None = None):
    """Valid frames and arbitrary bytes mixed: (data, marks).  Anything at all may come of it."""
    cfg = config(protocol, params)
    part = st.one_of(
        frames_for(cfg).map(_data_of),
        bytes_with_interesting(12, cfg.special),
        st.binary(max_size=12),
    )
    return st.lists(part, max_size=6).map(_joined_with_ends)


def _data_of(frame) -> bytes:
    return frame.data


def _joined_with_ends(pieces: list) -> tuple[bytes, tuple]:
    ends, pos = [], 0
    for piece in pieces:
        pos += len(piece)
        ends.append(pos)
    return b"".join(pieces), tuple(ends)
