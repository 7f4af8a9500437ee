"""Behaviours: a failure named in words a maintainer acts on, not a hex diff.

``BEHAVIOURS`` is the vocabulary, named once: each name is stable (the results JSON and
baselines carry it) and has one plain sentence.  ``classify(failure)`` looks at what was
sent, how it was cut, what the reference expected and what the target did, and returns
the behaviour it shows; a failure that fits none is ``unclassified`` and keeps its diff.
The rules are deliberately few and look only at the outcome, the frames and the cuts, so
that they hold for any protocol of the registry (docs/behaviours.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from wirecheck import protocols
from wirecheck.oracle import Expectation, Observation

from .cuts import delimiter_cut as _delimiter_cut
from .cuts import delimiter_of, holds_whole_over_long_frame
from .cuts import frame_ends as _frame_ends
from .cuts import read_of as _read_of
from .readings import as_text, common_prefix, deviant_reading, lines_ended_elsewhere, minimal_header_reading

#: name -> the sentence a report shows.  Stable: baselines and the results JSON use the names.
BEHAVIOURS: dict[str, str] = {
    "leading-zero-accepted": "accepts a length written with leading zeros, which the format forbids",
    "length-syntax-lenient": "accepts a malformed length (a sign, a space, an underscore, no digits)",
    "terminator-unchecked": "does not check the byte that must end a frame (a netstring's ',')",
    "header-misread": "reads a non-minimal length header (an overlong varint) as if it were minimal: its extra "
    "bytes become payload and the frames after it shift",
    "encoding-lenient": "accepts a non-minimal or otherwise non-canonical header its strict mode must refuse",
    "invalid-accepted": "accepts input the format says is invalid",
    "no-max": "has no maximum: frames longer than the configured maximum are accepted or waited for",
    "max-off-by-one": "puts the maximum one byte off: refuses a frame of exactly the maximum, or accepts one byte more",
    "max-depends-on-split": "enforces the maximum differently depending on how the bytes were split into reads",
    "max-counts-delimiter": "counts the delimiter against the maximum, so the longest allowed lines are refused",
    "delimiter-split-rejected": "refuses a maximum-length line when its delimiter arrives split across two reads",
    "delimiter-lenient": "ends a line at something other than the configured delimiter (a bare LF or CR)",
    "valid-input-rejected": "closes the connection on input that is valid",
    "split-dependent": "decodes the same bytes differently depending on how they were split into reads",
    "continues-after-error": "keeps going after a decoding error (the connection stays open, or a decoder reports "
    "no error) instead of stopping",
    "empty-frame-dropped": "drops empty frames (or empty lines) instead of delivering them",
    "frames-dropped": "loses frames that were complete",
    "not-bytes-clean": "changes a frame's payload: its bytes (often U+FFFD for bytes that are not UTF-8), or the "
    "value a structured frame decodes to",
    "partial-delivered-at-eof": "delivers the unterminated last frame when the stream ends",
    "frames-before-error-dropped": "drops the frames decoded in the same read as a later decoding error",
    "frames-merged": "delivers several frames as one",
    "frames-split": "delivers one frame as several",
    "wrong-encoding": "re-encodes its frames wrongly: the echo is not the canonical framing of what it decoded",
    "echo-lost-on-close": "loses echoes it owed when the connection closes (the endpoint, not its parser)",
    "floods": "sends far more than the input could explain",
    "crashes": "crashed (the decoder, or the server around it) or broke its output contract",
    "stalls": "neither answered valid input nor closed in time",
    "unclassified": "fails in a way no named behaviour describes: see the diff",
    # resources (wirecheck cost, docs/cost.md)
    "quadratic-time": "takes time that grows with the square of its input (or faster) on some workload: a "
    "denial of service for anyone who can send it bytes",
    "superlinear-time": "takes time that grows faster than its input on some workload, if not quite with its square",
    "allocates-declared-length": "allocates what a length header declares before the payload has arrived (or "
    "when the length is over the maximum)",
    "buffers-beyond-max": "keeps buffering an unterminated frame past the maximum instead of refusing it",
    # request/reply clients (wirecheck clients, docs/client-contract.md)
    "reply-to-wrong-request": "delivers a reply to a request other than the one it answers",
    "reply-lost": "never delivers a reply the server sent, or never fails a request the connection took down",
    "duplicate-delivered": "delivers two answers to one request",
    "notification-taken-for-reply": "takes a notification for the reply to a waiting request",
    "unexpected-taken-for-reply": "takes an unsolicited frame for the reply to a request",
    "notification-lost": "never passes on a notification the server sent in notification mode",
    "error-for-answered-request": "fails a request the server answered",
    "fails-fast": "closes the connection at an unexpected frame (allowed: a verdict of acceptable)",
}

#: What accepting input that should have closed with this reason shows.
_ACCEPTED = {
    "leading_zero": "leading-zero-accepted",
    "bad_length_char": "length-syntax-lenient",
    "empty_length": "length-syntax-lenient",
    "missing_comma": "terminator-unchecked",
    "non_minimal_varint": "encoding-lenient",
    "non_minimal_prefix": "encoding-lenient",
    "empty_prefix": "encoding-lenient",
    "float_prefix": "encoding-lenient",
}
#: Close reasons that mean "longer than the maximum".
_TOO_LONG = frozenset({"length_exceeds_max", "line_too_long", "string_too_long", "list_too_long"})
#: Echo problems and what they show.
_PROBLEMS = (
    ("flood", "floods"),
    ("echoed over", "floods"),
    ("ends inside a frame", "echo-lost-on-close"),
    ("not valid framing", "wrong-encoding"),
    ("canonical encoding", "wrong-encoding"),
    ("cannot carry", "wrong-encoding"),
    ("decoder", "crashes"),
    ("output line", "crashes"),
)


@dataclass
class Failure:
    """One failed delivery: what went in, how it was cut, what was expected and what happened.

    ``observed`` is None for a timeout.  ``split_dependent``: another cut of the same bytes met
    the expectation (a vector's whole delivery passed and this one did not).  ``echoes``: the
    target is an endpoint that echoes over a connection (it can lose echoes it owed); a decoder
    in-process or on standard input cannot."""

    protocol: str
    params: dict
    chunks: Sequence[bytes]
    expected: Expectation
    observed: Observation | None
    split_dependent: bool = False
    echoes: bool = True
    notes: list[str] = field(default_factory=list)
    #: For a timeout in which the endpoint read everything but neither answered nor closed: the
    #: bytes it had echoed by then (None: not that kind of timeout, or not known).
    echoed: int | None = None


def sentence(name: str) -> str:
    return BEHAVIOURS[name]


def classify(failure: Failure) -> str:
    """The behaviour ``failure`` shows (a key of BEHAVIOURS)."""
    expected, obs = failure.expected, failure.observed
    status = expected.outcome["status"]
    reason = expected.outcome.get("reason")
    if _misreads_header(failure):
        return "header-misread"
    if obs is None:  # a timeout: it waited where it should have closed, or never answered
        if status == "close" and reason in _TOO_LONG and not failure.split_dependent:
            limit = _limit(failure)
            if limit is not None and failure.echoed is not None and failure.echoed < limit \
                    and holds_whole_over_long_frame(failure, limit):  # fmt: skip
                return "continues-after-error"  # it echoed less than the frame: refused it, and went on
        if status == "close":
            return _accepted(failure, reason, [])
        return "stalls"
    if _ends_lines_elsewhere(failure):  # before the problems: such an endpoint may echo more frames than sent
        return "delimiter-lenient"
    for needle, name in _PROBLEMS:
        if any(needle in p for p in obs.problems):
            return name
    habits = _deviant_habits(failure)
    if habits:  # lines a lenient, text-minded decoder gives: its first habit
        return habits[0]
    replaced = _as_replaced(failure)
    if replaced is not None:  # U+FFFD for bytes that are not UTF-8: what else is wrong, once that is allowed for?
        if list(replaced.expected.frames) == list(obs.frames) and obs.status == status:
            return "not-bytes-clean"
        return classify(replaced)
    want, got = list(expected.frames), list(obs.frames)
    extra = got[len(want) :] if got[: len(want)] == want else []
    if status == "close" and obs.status != "close":
        if got == want and reason not in _ACCEPTED:
            return "continues-after-error"  # nothing decoded from the bad bytes, and still open
        return _accepted(failure, reason, extra)
    if status == "close" and extra:  # closed, but only after delivering a frame from the bad bytes
        return _accepted(failure, reason, extra)
    if status == obs.status and len(got) < len(want) and got == [f for f in want if f != ""]:
        if status == "close" and got == want[: len(got)] and _same_read_as_error(failure, len(got)):
            return "frames-before-error-dropped"  # or empty frames dropped: ``lost_frame_probe`` tells
        return "empty-frame-dropped"
    if status != "close" and obs.status == "close":
        return _rejected(failure, want, got)
    if obs.status in ("close", "incomplete") and len(got) < len(want) and got == want[: len(got)]:
        if status == "close" and _same_read_as_error(failure, len(got)):
            # Ambiguous when the lost frame is at the maximum: dropped with the error's read, or
            # refused itself?  ``lost_frame_probe`` says which stream tells them apart.
            return "frames-before-error-dropped"
        limit_named = _rejected(failure, want, got)  # closed early: at a frame near the maximum?
        if limit_named not in ("valid-input-rejected", "split-dependent"):
            return limit_named
        return _lost_before_close(failure, len(got), status)
    if got != want:
        return _frames_differ(failure, want, got, status)
    if status == "close" and obs.status == "close":
        return "unclassified"  # same frames, closed: a reason or offset differs (reports_reasons targets)
    return "split-dependent" if failure.split_dependent else "unclassified"


def _accepted(failure: Failure, reason: str | None, extra: list) -> str:
    """It did not close where the format says it must: what that acceptance shows."""
    if reason in _TOO_LONG:
        if failure.split_dependent:
            return "max-depends-on-split"
        limit = _limit(failure)
        if extra and limit is not None and all(n is not None and n <= limit for n in map(_length, extra)):
            return "continues-after-error"  # what it delivered after the long frame came from after it
        return "max-off-by-one" if _fits_one_more(failure) else "no-max"
    if reason in _ACCEPTED:
        return _ACCEPTED[reason]
    return "split-dependent" if failure.split_dependent else "invalid-accepted"


def lost_frame_probe(failure: Failure) -> tuple[bytes, list] | None:
    """For a ``frames-before-error-dropped`` whose first lost frame is empty, or at (or a
    delimiter short of) the maximum: the stream up to the end of that frame, and the frames it
    must give.  A target that fails that stream too loses the frame itself (``refused_alone``)."""
    obs = failure.observed
    if obs is None:
        return None
    want, kept = list(failure.expected.frames), len(obs.frames)
    limit, missing = _limit(failure), _length(want[kept]) if kept < len(want) else None
    near_max = limit is not None and missing is not None and missing > limit - max(1, len(_delimiter(failure)))
    if missing != 0 and not near_max:
        return None
    return stream_through(failure, kept)


def stream_through(failure: Failure, index: int) -> tuple[bytes, list] | None:
    """The stream up to the end of expected frame ``index``, and the frames it must give."""
    ends = _frame_ends(failure)
    if index >= len(ends):
        return None
    return b"".join(failure.chunks)[: ends[index]], list(failure.expected.frames)[: index + 1]


def first_missing(failure: Failure) -> int:
    """The index of the first expected frame the target did not deliver as expected."""
    got = list(failure.observed.frames) if failure.observed else []
    return common_prefix(list(failure.expected.frames), got)


def refused_alone(failure: Failure, split_dependent: bool = False) -> str:
    """The behaviour when the lost frame (empty, or at the maximum) is lost even with nothing after
    it; ``split_dependent``: that shorter stream passed when delivered whole."""
    failure = replace(failure, split_dependent=failure.split_dependent or split_dependent)
    want = list(failure.expected.frames)
    got = list(failure.observed.frames) if failure.observed else []
    if len(got) < len(want) and want[len(got)] == "":
        return "empty-frame-dropped"
    return _rejected(failure, want, got)


def _fits_one_more(failure: Failure) -> bool:
    """Would a receiver whose maximum is one more take this stream without a length error?  Then
    accepting (or waiting for) it shows a maximum one off, not a missing one."""
    limit = _limit(failure)
    if limit is None:
        return False
    spec = protocols.get(failure.protocol)
    decoder = spec.decoder(protocols.complete(spec, {**failure.params, "max_length": limit + 1}))
    for chunk in failure.chunks:
        decoder.feed(chunk)
        if decoder.error is not None:
            return decoder.error.reason not in _TOO_LONG
    return True


def _rejected(failure: Failure, want: list, got: list) -> str:
    """It closed on valid input: at which frame, and why that frame."""
    at = common_prefix(want, got)
    if at >= len(want):
        # Every frame was delivered, then a close where the stream was healthy.
        return "split-dependent" if failure.split_dependent else "valid-input-rejected"
    return _limit_named(failure, want, at) or ("split-dependent" if failure.split_dependent else "valid-input-rejected")


def _limit_named(failure: Failure, want: list, at: int) -> str | None:
    """Frame ``at`` was refused: the name for it when it is at the maximum (for lines: within the
    delimiter's length of it), else None."""
    missing = _length(want[at])
    limit = _limit(failure)
    delimiter = _delimiter(failure)
    if limit is None or missing is None or missing <= limit - max(1, len(delimiter)):
        return None
    if delimiter and failure.split_dependent:
        return "delimiter-split-rejected" if _delimiter_cut(failure, at) else "max-depends-on-split"
    if failure.split_dependent:
        return "max-depends-on-split"
    if delimiter and missing + len(delimiter) > limit:
        return "max-counts-delimiter"
    return "max-off-by-one"


def _frames_differ(failure: Failure, want: list, got: list, status: str) -> str:
    if not all(isinstance(f, str) for f in want + got):  # structured values (Banana): compared as values
        if failure.split_dependent:
            return "split-dependent"
        if len(got) < len(want) and _is_subsequence(got, want):
            return "frames-dropped"
        return "not-bytes-clean" if len(got) == len(want) else "unclassified"
    if got == [f for f in want if f != ""] and len(got) < len(want):
        return "empty-frame-dropped"
    if status == "incomplete" and got[: len(want)] == want and len(got) == len(want) + 1:
        return "partial-delivered-at-eof"
    if len(got) < len(want) and _is_subsequence(got, want):
        if got == want[: len(got)] and status != "ok":
            return _lost_before_close(failure, len(got), status)
        # A frame at the maximum missing while the stream went on: refused, and the error ignored.
        return _limit_named(failure, want, common_prefix(want, got)) or "frames-dropped"
    delimiter = _delimiter(failure).hex()
    if len(got) < len(want) and _joins(got, want, delimiter):
        return "frames-merged"
    if len(got) > len(want) and _joins(want, got, delimiter):
        return "frames-split"
    if len(got) == len(want) and _payloads_changed(want, got):
        return "not-bytes-clean"
    return "split-dependent" if failure.split_dependent else "unclassified"


def _payloads_changed(want: list[str], got: list[str]) -> bool:
    """Frame for frame, only bytes changed: each differing pair is of one length.  Frames of other
    lengths are frames lost, cut or joined elsewhere (a long line dropped and a short one split),
    not a change of bytes; U+FFFD, which changes lengths, has its own reading."""
    return all(len(w) == len(g) for w, g in zip(want, got, strict=False))


def _misreads_header(failure: Failure) -> bool:
    """Varint frames: does a decoder that takes each header to be minimal give what was seen (the
    frames it delivered, or a wait where that decoder is left waiting)?"""
    limit = _limit(failure) if failure.protocol == "varint" else None
    if limit is None:
        return False
    reading = minimal_header_reading(b"".join(failure.chunks), limit)
    if reading is None:
        return False
    frames, waits = [f.hex() for f in reading[0]], reading[1]
    obs = failure.observed
    if obs is None:
        return waits and frames != list(failure.expected.frames)
    got = list(obs.frames)
    return bool(got) and got == frames[: len(got)] and got != list(failure.expected.frames)[: len(got)]


def _deviant_habits(failure: Failure) -> list[str] | None:
    """For lines that did not meet a maximum: the habits of a lenient line decoder that gives
    exactly the lines seen (``readings.deviant_reading``), else None."""
    delimiter, obs, expected = _delimiter(failure), failure.observed, failure.expected
    if not delimiter or obs is None or obs.status != expected.outcome["status"]:
        return None
    if expected.outcome.get("reason") in _TOO_LONG or not all(isinstance(f, str) for f in obs.frames):
        return None
    got = [bytes.fromhex(f) for f in obs.frames]
    return deviant_reading(b"".join(failure.chunks), delimiter, expected.outcome["status"] == "incomplete", got)


def _ends_lines_elsewhere(failure: Failure) -> bool:
    """Are the frames seen the lines of a reading with more line ends than the configured one?"""
    delimiter, obs = _delimiter(failure), failure.observed
    if not delimiter or obs is None or not obs.frames or not all(isinstance(f, str) for f in obs.frames):
        return False
    return lines_ended_elsewhere(b"".join(failure.chunks), delimiter, [bytes.fromhex(f) for f in obs.frames])


def _as_replaced(failure: Failure) -> Failure | None:
    """``failure`` with the expected frames as a decoder that reads text would give them, when the
    target shows U+FFFD where they had bytes that are not UTF-8; else None."""
    obs = failure.observed
    frames = list(failure.expected.frames)
    if obs is None or not all(isinstance(f, str) for f in [*frames, *obs.frames]):
        return None
    replaced = as_text(frames, obs.frames)
    if replaced is None:
        return None
    return replace(failure, expected=replace(failure.expected, frames=tuple(replaced)))


def _same_read_as_error(failure: Failure, frame_index: int) -> bool:
    """Did frame ``frame_index`` end in the same read as the expected error's offset?"""
    offset = failure.expected.outcome.get("offset")
    ends = _frame_ends(failure)
    if offset is None or frame_index >= len(ends):
        return True  # cannot tell: the parser dropping them is the likelier story
    return _read_of(failure.chunks, ends[frame_index] - 1) == _read_of(failure.chunks, offset)


def _lost_before_close(failure: Failure, kept: int, status: str) -> str:
    """Complete frames missing before a close: dropped by the parser with the read that held the
    error, or lost by the endpoint after its parser delivered them."""
    if not failure.echoes:  # a decoder with no connection to lose them on: its parser lost them
        if status == "incomplete":
            return "split-dependent" if failure.split_dependent else "frames-dropped"
        return "frames-before-error-dropped"
    if status == "incomplete":
        return "echo-lost-on-close"
    offset = failure.expected.outcome.get("offset")
    if offset is None:
        return "frames-before-error-dropped"
    # Where the first lost frame ended and where the error is: in one read, the parser dropped it.
    ends = _frame_ends(failure)
    if not ends:
        return "frames-before-error-dropped"
    if kept < len(ends) and _read_of(failure.chunks, ends[kept] - 1) < _read_of(failure.chunks, offset):
        return "echo-lost-on-close"
    return "frames-before-error-dropped"


def _limit(failure: Failure) -> int | None:
    spec = protocols.get(failure.protocol)
    return spec.limit(protocols.complete(spec, failure.params)) if spec.param("max_length") else None


def _delimiter(failure: Failure) -> bytes:
    return delimiter_of(failure.protocol, failure.params)


def _length(frame) -> int | None:
    return len(frame) // 2 if isinstance(frame, str) else None


def _is_subsequence(short: list, long: list) -> bool:
    it = iter(long)
    return all(any(x == y for y in it) for x in short)


def _joins(coarse: list, fine: list, delimiter: str) -> bool:
    """Is each of ``coarse`` some consecutive run of ``fine`` joined (with or without the delimiter)?"""
    return "".join(coarse) == "".join(fine) or (bool(delimiter) and delimiter.join(coarse) == delimiter.join(fine))
