"""Asking the target again, when one failed delivery cannot tell two behaviours apart.

A frame missing before a decoding error is either dropped with the read that held the error
(``frames-before-error-dropped``) or refused on its own: an empty frame dropped, or a frame at
the maximum refused.  ``name_lost_frame`` delivers the stream up to the end of that frame, cut
as the failure was, and when the target loses it there too, delivers that shorter stream whole
to learn whether the refusal depends on the cut.  Vectors and property examples both use it,
so the same evidence gets the same name whichever found it.
"""

from __future__ import annotations

from collections.abc import Sequence

from wirecheck.oracle import judge
from wirecheck.vectors import Expectation, Vector

from .behaviours import Failure, first_missing, lost_frame_probe, refused_alone, stream_through


def name_lost_frame(target, failure: Failure, name: str, like: Vector) -> str:
    """``name``, or what asking again shows (``like``: the vector the failure came from, whose
    family, parameters and flags the probe keeps)."""
    probe = lost_frame_probe(failure) if name == "frames-before-error-dropped" else None
    if probe is None:
        return name
    data, frames = probe
    alone = _valid(like, "lost-frame-alone", "the stream up to the lost frame", data, frames)
    cut = _cut_at(failure.chunks, len(data))
    held = _holds_each_time(target, alone, cut)
    if held is not False:  # delivered alone it came back (or could not be asked): the first reading stands
        return name
    whole_held = len(cut) > 1 and _holds(target, alone, [data])
    return refused_alone(failure, split_dependent=bool(whole_held))


def passes_whole(target, failure: Failure, like: Vector) -> bool | None:
    """Does the stream up to the end of the first frame the target failed to deliver pass when
    delivered in one read?  Only that frame's story: a later frame that fails whole too must not
    hide that this one was refused only because of the cut.  None when it cannot be asked."""
    through = stream_through(failure, first_missing(failure))
    if through is None:
        return None
    data, frames = through
    return _holds(target, _valid(like, "whole", "the stream up to the refused frame", data, frames), [data])


def _valid(like: Vector, suffix: str, description: str, data: bytes, frames: list) -> Vector:
    """A valid vector asked about on the way: ``like``'s family, parameters and flags, these bytes."""
    return Vector(f"{like.id}-{suffix}", like.family, like.protocol, like.params, description, like.ref, like.flags,
                  data, None, Expectation(tuple(frames), {"status": "ok"}), "valid", ())  # fmt: skip


def _holds(target, vector: Vector, chunks: Sequence[bytes]) -> bool | None:
    """Did delivering ``chunks`` meet ``vector``'s expectation?  None when the target could not be asked."""
    try:
        seen = target.deliver(vector, chunks)
    except Exception:  # a timeout or an error: no evidence either way
        return None
    return judge(vector.expected, (), seen, target.reports_reasons) is not None


#: Deliveries of a cut probe before its passing is believed.
CUT_TRIES = 3


def _holds_each_time(target, vector: Vector, chunks: Sequence[bytes]) -> bool | None:
    """``_holds``, asked up to CUT_TRIES times when the delivery has several reads: over a socket
    reads may merge on the way, so a pass shows little (the cut may never have reached the parser)
    while one loss shows the frame is refused on its own."""
    answers = []
    for _ in range(CUT_TRIES if len(chunks) > 1 else 1):
        answers.append(_holds(target, vector, chunks))
        if answers[-1] is False:
            return False
    return None if None in answers else True


def _cut_at(chunks: Sequence[bytes], length: int) -> list[bytes]:
    """The first ``length`` bytes of the stream, in the reads ``chunks`` cut it into."""
    out: list[bytes] = []
    for chunk in chunks:
        if length <= 0:
            break
        out.append(bytes(chunk[:length]))
        length -= len(chunk)
    return out
