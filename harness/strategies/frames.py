"""Valid payloads, frames and streams for each protocol and configuration.

``params`` has the shape of a vector group's parameters (``max_length``,
``delimiter`` as hex, Banana ``dialect`` and ``strict``); what is missing takes the
protocol's default.  Payloads near ``max_length`` are a few drawn bytes padded with
a filler byte: Hypothesis draws at most a few KiB per example, and the boundary is
what matters, not the 99,998 bytes before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from hypothesis import strategies as st

from harness.codecs import banana, intprefix, lines, netstring

FRAMING = ("netstring", "int8", "int16", "int32", "line")
PROTOCOLS = (*FRAMING, "banana")

#: Bytes that mean something to some protocol: digits, ':', ',', CR, LF, NUL, type bytes.
INTERESTING_BYTES = (0x00, 0x0A, 0x0D, 0x2C, 0x30, 0x31, 0x39, 0x3A, 0x2B, 0x2D, 0x20, 0x7F, 0x80, 0x82, 0x87, 0xFF)
#: Byte strings that are not UTF-8, so text-minded implementations get a chance to choke.
NOT_UTF8 = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80abc")


@dataclass(frozen=True)
class Config:
    """A protocol with its parameters resolved to concrete values."""

    protocol: str
    max_length: int | None
    delimiter: bytes | None
    dialect: bytes | None
    strict: bool

    @property
    def filler(self) -> bytes:
        """A byte that can pad any payload: never part of the delimiter."""
        for candidate in (b"a", b"b", b"c"):
            if self.delimiter is None or candidate not in self.delimiter:
                return candidate
        raise AssertionError("unreachable: a delimiter cannot hold a, b and c and still be chosen")


def config(protocol: str, params: dict | None = None) -> Config:
    params = params or {}
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    if protocol == "banana":
        if params.get("role", "peer") != "peer":
            raise ValueError("stream strategies cover Banana peers; handshakes have their own tests")
        return Config(protocol, None, None, params.get("dialect", "none").encode(), bool(params.get("strict")))
    defaults = {
        "netstring": netstring.DEFAULT_MAX_LENGTH,
        "line": lines.DEFAULT_MAX_LENGTH,
    }
    max_length = params.get("max_length", defaults.get(protocol, intprefix.DEFAULT_MAX_LENGTH))
    if protocol in intprefix.WIDTHS:
        max_length = min(max_length, 256 ** intprefix.WIDTHS[protocol] - 1)
    delimiter = None
    if protocol == "line":
        delimiter = bytes.fromhex(params["delimiter"]) if "delimiter" in params else lines.DEFAULT_DELIMITER
    return Config(protocol, max_length, delimiter, None, False)


def encoder(cfg: Config):
    """payload -> its canonical frame."""
    if cfg.protocol == "netstring":
        return netstring.encode
    if cfg.protocol in intprefix.WIDTHS:
        width = intprefix.WIDTHS[cfg.protocol]
        return lambda payload: intprefix.encode(payload, width)
    if cfg.protocol == "line":
        return lambda line: lines.encode(line, cfg.delimiter)
    return lambda value: banana.encode(value, dialect=cfg.dialect)


def line_safe(payload: bytes, delimiter: bytes) -> bytes:
    """``payload``, changed as little as possible so that it decodes back as one line."""
    if delimiter not in payload and (payload + delimiter).find(delimiter) == len(payload):
        return payload
    swap = b"a" if delimiter[:1] != b"a" else b"b"
    return payload.replace(delimiter[:1], swap)


def _bytes_with_interesting(max_size: int, extra: bytes = b""):
    """Arbitrary bytes with a few protocol-significant bytes put in at drawn places.

    One binary draw plus a few insertions: drawing byte by byte would let Hypothesis
    weight each byte, but costs a draw per byte, which dominates a property's time.
    """
    special = st.sampled_from(sorted(set(INTERESTING_BYTES) | set(extra)))
    binary, insertions = st.binary(max_size=max_size), st.integers(0, 3 if max_size else 0)

    @st.composite
    def build(draw):
        data = bytearray(draw(binary))
        for _ in range(draw(insertions)):
            at = draw(st.integers(0, len(data)))
            data[at:at] = bytes([draw(special)])
        return bytes(data[:max_size])

    return build()


def payloads(protocol: str, params: dict | None = None):
    """Payloads a conforming receiver must accept: empty, short, non-UTF-8, max-1 and max-length."""
    cfg = config(protocol, params)
    if protocol == "banana":
        return banana_values(params)
    top = cfg.max_length
    extra = cfg.delimiter or b""
    small = _bytes_with_interesting(min(top, 24), extra)
    odd = st.sampled_from([p[:top] for p in NOT_UTF8])
    size = st.sampled_from(sorted({n for n in (top, top - 1, top // 2) if n >= 0})) | st.integers(0, top)
    head = _bytes_with_interesting(min(top, 16), extra)

    @st.composite
    def sized(draw):
        n = draw(size)
        start = draw(head)[:n]
        return start + cfg.filler * (n - len(start))

    strategy = st.one_of(small, small, odd, sized())
    if protocol == "line":
        strategy = strategy.map(lambda p: line_safe(p, cfg.delimiter))
    return strategy


#: Integers at every encoding boundary: one and two base-128 digits, INT/NEG vs
#: LONGINT/LONGNEG, and the largest magnitude 64 prefix digits can carry.
INT_EDGES = tuple(
    sorted(
        {s * v for v in (0, 1, 127, 128, 16383, 16384, 2**21, 2**31 - 1, 2**31, 2**31 + 1, 2**63, 2**64,
                         2 ** (7 * banana.PREFIX_LIMIT) - 1)
         for s in (1, -1)}
    )
)  # fmt: skip


#: Floats every decoder must carry bit for bit: NaN, the infinities, -0.0, the smallest subnormal, the largest.
FLOAT_EDGES = (float("nan"), float("inf"), float("-inf"), -0.0, 5e-324, 1.7976931348623157e308)


def banana_values(params: dict | None = None, max_leaves: int = 24):
    """Banana expressions within the limits: ints at every boundary, floats with NaN, inf and -0.0,
    byte strings (pb vocabulary words included), and nested lists."""
    config("banana", params)  # refuses a role it does not cover
    largest = 2 ** (7 * banana.PREFIX_LIMIT) - 1
    ints = st.one_of(st.sampled_from(INT_EDGES), st.integers(-300, 300), st.integers(-largest, largest))
    words = st.sampled_from(sorted(banana.WORD_IDS))
    strings = st.one_of(st.binary(max_size=32), words, st.sampled_from(NOT_UTF8))
    floats = st.one_of(st.floats(), st.sampled_from(FLOAT_EDGES))
    scalars = st.one_of(ints, floats, strings)
    return st.recursive(scalars, lambda kids: st.lists(kids, max_size=6), max_leaves=max_leaves)


class Frame(NamedTuple):
    value: Any  # the payload (bytes) or Banana value
    data: bytes  # its canonical encoding


def frames(protocol: str, params: dict | None = None):
    """One valid frame: the value a receiver must deliver, and its bytes on the wire."""
    cfg = config(protocol, params)
    encode = encoder(cfg)
    return payloads(protocol, params).map(lambda value: Frame(value, encode(value)))


class Stream(NamedTuple):
    frames: list  # what a conforming receiver delivers, in order
    data: bytes  # the stream
    marks: tuple  # offsets worth cutting at: frame boundaries and the insides of headers and delimiters


def marks_of(cfg: Config, pieces: list[bytes]) -> tuple:
    """Offsets in the joined ``pieces`` where a split is most likely to expose a bug."""
    out: set[int] = set()
    pos = 0
    for piece in pieces:
        out.add(pos)
        if cfg.protocol == "line":
            d = len(cfg.delimiter)
            out.update(pos + len(piece) - d + k for k in range(d))
        elif cfg.protocol == "netstring":
            colon = piece.find(b":")
            out.update((pos + colon, pos + colon + 1, pos + len(piece) - 1))
        elif cfg.protocol in intprefix.WIDTHS:
            out.update(pos + k for k in range(1, intprefix.WIDTHS[cfg.protocol] + 1))
        else:
            out.update(pos + i for i, b in enumerate(piece[:64]) if b >= 0x80)
        pos += len(piece)
    out.add(pos)
    return tuple(sorted(out))


def streams(protocol: str, params: dict | None = None, min_frames: int = 0, max_frames: int = 8):
    """Whole streams of valid frames, with the offsets worth splitting at."""
    cfg = config(protocol, params)
    return st.lists(frames(protocol, params), min_size=min_frames, max_size=max_frames).map(
        lambda fs: Stream([f.value for f in fs], b"".join(f.data for f in fs), marks_of(cfg, [f.data for f in fs]))
    )


def bursts(protocol: str, params: dict | None = None, min_frames: int = 50, max_frames: int = 400):
    """Many small frames at once: what a pipelining client sends in one write.

    A few drawn templates are repeated with a running number in each frame, so that
    a lost, duplicated or reordered frame shows, at the cost of a handful of draws.
    """
    cfg = config(protocol, params)
    encode = encoder(cfg)
    count = st.integers(min_frames, max_frames)
    if protocol == "banana":
        templates = st.lists(st.one_of(st.binary(max_size=8), st.integers(-1000, 1000)), min_size=1, max_size=4)

        def build(args):
            n, shapes = args
            values = [[i, shapes[i % len(shapes)]] for i in range(n)]
            return Stream(values, b"".join(map(encode, values)), ())
    else:
        room = max(0, min(cfg.max_length, 8) - 3)
        templates = st.lists(_bytes_with_interesting(room, cfg.delimiter or b""), min_size=1, max_size=4)

        def build(args):
            n, shapes = args
            values = [_numbered(shapes[i % len(shapes)], i, cfg.max_length) for i in range(n)]
            if protocol == "line":
                values = [line_safe(v, cfg.delimiter) for v in values]
            return Stream(values, b"".join(map(encode, values)), ())

    return st.tuples(count, templates).map(build)


def _numbered(shape: bytes, i: int, max_length: int) -> bytes:
    """``shape`` with ``i`` after it, cut to max_length from the left so the number survives."""
    value = shape + b"%03d" % (i % 1000)
    return value[len(value) - max_length :] if len(value) > max_length else value
