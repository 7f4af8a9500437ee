"""The reference codecs' own invariants, as fuzz targets: what ``fuzz/PROTOCOL.py`` runs.

Each input (``inputs``: a stream and the reads it is cut into) is decoded by the reference in
its default configuration and in a small one (a maximum of 16, where limits are reached fast),
and must give:

* only frames and at most one error, the error last, its offset inside the input;
* the same outcome whole, cut as the input says, and a byte at a time (short inputs);
* nothing after an error, however much more is fed;
* at most one maximal frame and its header buffered between reads;
* frames that encode and decode back to themselves;
* Banana: the strict and the lenient reading agree on every input both accept.

A violation raises ``InvariantBroken`` (libFuzzer saves the input and stops, as ClusterFuzzLite
expects).  The scripts are three lines; a library author's own decoder joins the same way
(docs/fuzzing.md).
"""

from __future__ import annotations

import functools
import json
import sys
import types
from collections.abc import Callable

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES, EncodeError, ProtocolError
from wirecheck.oracle import same_frames

from .inputs import decode

#: Streams at most this long are also fed a byte at a time.
BYTEWISE_UP_TO = 512
#: The small maximum every protocol with one is also checked at.
SMALL_MAX = 16


class InvariantBroken(AssertionError):
    """A reference codec broke one of its invariants on this input."""


def configurations(protocol: str) -> list[dict]:
    """The default stream configurations, and the same with a small maximum where there is one."""
    spec = protocols.get(protocol)
    out = [config for _, config in _stream_configs(protocol)]
    if spec.param("max_length") is not None:
        out += [config for _, config in _stream_configs(protocol, {"max_length": SMALL_MAX})]
    return out


def _stream_configs(protocol: str, params: dict | None = None) -> list[tuple[str, dict]]:
    spec = protocols.get(protocol)
    return [(protocol, c) for c in protocols.stream_configs(spec, params or {})]


def _outcome(spec, config: dict, chunks) -> tuple[list, object, object]:
    """(frames, the error or None, the decoder), with the event-order invariants checked."""
    decoder = spec.decoder(config)
    frames: list = []
    error = None
    for chunk in chunks:
        for event in decoder.feed(chunk):
            if error is not None:
                raise InvariantBroken(f"an event after the error {error.reason}: {event!r:.80}")
            if isinstance(event, NOT_FRAMES):
                if isinstance(event, ProtocolError):
                    error = event
                continue
            frames.append(event)
        if (decoder.error is None) != (error is None):
            raise InvariantBroken("decoder.error and the error events disagree")
        if error is not None:
            break
    return frames, error, decoder


def check(protocol: str, config: dict, data: bytes) -> None:
    """Every invariant of the module docstring, for one input; InvariantBroken if one fails."""
    spec = protocols.get(protocol)
    chunks = decode(data)
    stream = b"".join(chunks)
    whole, error, decoder = _outcome(spec, config, [stream])
    if error is not None and not 0 <= error.offset < max(1, len(stream)):
        raise InvariantBroken(f"error offset {error.offset} outside an input of {len(stream)} bytes")
    if error is not None and decoder.feed(b"0:," * 4 + stream[:64]):
        raise InvariantBroken("the decoder delivered something after its error")
    deliveries = [chunks] + ([[stream[i : i + 1] for i in range(len(stream))]] if len(stream) <= BYTEWISE_UP_TO else [])
    bound = _buffer_bound(spec, config)
    for cut in deliveries:
        frames, cut_error, cut_decoder = _outcome(spec, config, cut)
        if not _same(spec, frames, whole) or _reason(cut_error) != _reason(error):
            raise InvariantBroken(
                f"the outcome depends on the split: {len(cut)} reads give {len(frames)} frames and "
                f"{_reason(cut_error)}, whole {len(whole)} frames and {_reason(error)}"
            )
        if bound is not None and cut_decoder.buffered > bound:
            raise InvariantBroken(f"{cut_decoder.buffered} bytes buffered, more than one maximal frame ({bound})")
    _round_trip(spec, config, whole)
    strict = spec.strict_reading(config)
    if strict is not None:
        strict_frames, strict_error, _ = _outcome(spec, strict, [stream])
        if strict_error is None and error is None and not _same(spec, strict_frames, whole):
            raise InvariantBroken("the strict and the lenient reading accept the input and differ")


def _reason(error) -> tuple | None:
    return None if error is None else (error.reason, error.offset)


def _same(spec, left: list, right: list) -> bool:
    """Equal frames, compared in their JSON form (a NaN equals itself there), without recursion."""
    if len(left) != len(right):
        return False
    as_json = [protocols.frame_to_json(spec, f) for f in left], [protocols.frame_to_json(spec, f) for f in right]
    return same_frames(*as_json)


def _buffer_bound(spec, config: dict) -> int | None:
    """The most a decoder may hold between reads: one maximal frame with its header."""
    return _bound(spec.name, json.dumps(config, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _bound(protocol: str, config_json: str) -> int | None:
    spec, config = protocols.get(protocol), json.loads(config_json)
    limit = spec.limit(config)
    if limit is None or spec.frame_any_length is None:
        return None
    filler = b"x" if b"a" in bytes.fromhex(config.get("delimiter", "")) else b"a"
    framed = spec.frame_any_length(config, filler * limit)
    return None if framed is None else len(framed)


def _round_trip(spec, config: dict, frames: list) -> None:
    encode: Callable = spec.encoder(config, None)
    try:
        data = b"".join(encode(frame) for frame in frames)
    except EncodeError:
        return  # a frame the lenient reading accepted and the canonical encoding cannot say
    again, error, _ = _outcome(spec, config, [data])
    if error is not None or not _same(spec, again, frames):
        raise InvariantBroken(f"{len(frames)} frames, encoded and decoded, do not come back")


def fuzz_one(protocol: str) -> Callable[[bytes], None]:
    """libFuzzer's entry point for ``protocol``: every configuration checked on each input."""
    configs = configurations(protocol)

    def one_input(data: bytes) -> None:
        for config in configs:
            check(protocol, config, data)

    return one_input


def main(protocol: str, argv: list[str] | None = None) -> None:
    """Run the invariant fuzzer of ``protocol`` under libFuzzer (``python fuzz/X.py -runs=N``)."""
    import atheris

    protocols.specs()  # every codec module imported, then their classes' methods instrumented
    for module in [m for name, m in sys.modules.items() if name.startswith("wirecheck.codecs.")]:
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for name, method in vars(value).items():
                    if isinstance(method, types.FunctionType):
                        setattr(value, name, atheris.instrument_func(method))
    atheris.Setup(argv if argv is not None else sys.argv, fuzz_one(protocol))
    atheris.Fuzz()
