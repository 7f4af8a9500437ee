"""Golden vectors for varint-prefixed frames (protobuf's delimited streams, it-length-prefixed)."""

from __future__ import annotations

from vectorlib import Family, T, close, incomplete, ok, rep, vint
from wirecheck.vectors.template import leb128

PROTO = "protobuf encoding: base 128 varints; writeDelimitedTo / parseDelimitedFrom"
GO = "google.golang.org/protobuf/encoding/protodelim"
ILP = "it-length-prefixed (MAX_DATA_LENGTH 4 MiB)"
MAX = 4 * 1024 * 1024

NOTES = {
    "Basic": {"bugType": "BASIC", "description": "Ordinary frames: an unsigned LEB128 length (7 bits a byte, least significant group first, high bit = more), then that many bytes."},
    "EmptyFrame": {"bugType": "EDGE_CASE", "description": "A zero length (the single byte 00) is a frame of no bytes and must be delivered."},
    "Binary": {"bugType": "BASIC", "description": "Payload bytes are data, including bytes that look like varints."},
    "VarintWidth": {"bugType": "EDGE_CASE", "description": "Lengths where the varint gains a byte: 127/128 (1 -> 2 bytes), 16383/16384 (2 -> 3), 2**21 - 1/2**21 (3 -> 4)."},
    "MaxLength": {"bugType": "EDGE_CASE", "description": "max_length is inclusive: max_length is accepted, max_length+1 is not."},
    "EarlyReject": {"bugType": "RESOURCE_LIMIT", "description": "A length over max_length is rejected as soon as the varint is complete, before any payload arrives. A receiver may reject even sooner, once the groups received so far already exceed the maximum: acceptable."},
    "Overlong": {"bugType": "LENIENCY", "description": "A non-minimal varint (zero groups at the end, e.g. 85 00 for 5). Protobuf decoders accept it; strict mode rejects it at the byte that ends the varint. Acceptable either way in lenient mode."},
    "TooLong": {"bugType": "MALFORMED", "description": "A varint is at most 10 bytes: a tenth byte with the continuation bit set can never end a valid length."},
    "Overflow": {"bugType": "MALFORMED", "description": "A tenth varint byte may carry only bit 63 (00 or 01); anything more needs more than 64 bits."},
    "Garbage": {"bugType": "MALFORMED", "description": "Frames before the invalid varint are delivered; nothing after it is."},
    "Incomplete": {"bugType": "BASIC", "description": "The input stops inside a varint or a payload: nothing of that frame is delivered."},
    "Split": {"bugType": "SPLIT", "description": "Explicit chunking of varints and payloads across reads."},
    "Burst": {"bugType": "BASIC", "description": "Many frames in one read come out complete and in order."},
}


varint = leb128


def fr(payload: bytes) -> bytes:
    return varint(len(payload)) + payload


def overlong(n: int, extra: int) -> bytes:
    """``n`` as a varint with ``extra`` zero groups added at the end."""
    v = bytearray(varint(n))
    v[-1] |= 0x80
    return bytes(v) + b"\x80" * (extra - 1) + b"\x00"


def fill(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def needs(data: bytes) -> list[str]:
    """The maximum this input needs, by construction: the largest length its varints declare,
    read frame by frame as the builder wrote them (a varint cut short declares nothing)."""
    top, i = 0, 0
    while i < len(data):
        value, size = 0, 0
        while i + size < len(data) and size < 10:
            byte = data[i + size]
            value |= (byte & 0x7F) << (7 * size)
            size += 1
            if not byte & 0x80:
                break
        else:
            break  # unfinished, or longer than a varint may be
        top = max(top, value)
        i += size + value
    return [f"max_length >= {top}"] if top else []


LENIENT, STRICT = ["strict == 0"], ["strict == 1"]


class Open:
    """Concrete vectors for any max_length that admits them (``needs``), and, with ``reading``,
    only in the lenient or the strict reading."""

    def __init__(self, group) -> None:
        self.group = group

    def add(self, slug, description, ref, flags, data, *args, reading=(), below=None, **kwargs) -> None:
        requires = kwargs.pop("requires", None)
        if requires is None:
            requires = [f"max_length < {below}"] if below is not None else needs(data)
        self.group.add(slug, description, ref, flags, data, *args, requires=[*requires, *reading], **kwargs)


def build() -> Family:
    f = Family("varint", [
        "Varint-prefixed frame golden vectors: an unsigned LEB128 length, then the payload.",
        "Offsets are 0-based indexes of the byte whose arrival makes the stream invalid: the byte that ends (or, at ten bytes, cannot end) the varint.",
        f"The default max_length, {MAX} (4 MiB), is it-length-prefixed's and Go protodelim's default.",
    ], NOTES)
    for m, strict in ((MAX, True), (0, False), (1, False), (127, False), (128, False), (16383, False), (16384, False),
                      (2**21, False)):  # fmt: skip
        f.configuration("varint", max_length=m, strict=strict)
    g = Open(f.group("varint", {}, "Any max_length that admits each vector's declared lengths; either reading unless said."))
    g.add("hello", "One frame.", PROTO, ["Basic"], fr(b"hello"), [b"hello"], ok())
    g.add("empty", "A zero-length frame: the single byte 00.", PROTO, ["EmptyFrame"], fr(b""), [b""], ok())
    g.add("empty-run", "Three zero-length frames, then one byte.", PROTO, ["EmptyFrame"],
          fr(b"") * 3 + fr(b"x"), [b"", b"", b"", b"x"], ok())
    g.add("empty-input", "No bytes at all.", PROTO, ["Incomplete"], b"", [], ok())
    g.add("two", "Two frames back to back.", PROTO, ["Basic"], fr(b"ab") + fr(b"cde"), [b"ab", b"cde"], ok())
    g.add("binary", "Every byte value as payload (a two-byte varint, c8 01).", PROTO, ["Binary"],
          fr(bytes(range(200))), [bytes(range(200))], ok())
    g.add("invalid-utf8", "Invalid UTF-8 is data.", PROTO, ["Binary"], fr(b"\xc3\x28\xff"), [b"\xc3\x28\xff"], ok())
    g.add("payload-lookalike", "A payload of bytes that look like varint continuation bytes.", PROTO, ["Binary"],
          fr(b"\x80\x80\x80\xff"), [b"\x80\x80\x80\xff"], ok())
    burst = [bytes([i % 256]) * (i % 9) for i in range(150)]
    g.add("burst", "150 frames of 0 to 8 bytes in one read.", PROTO, ["Burst"], b"".join(fr(x) for x in burst), burst, ok())
    for n in (127, 128, 16383, 16384):
        payload = fill(n)
        g.add(f"length-{n}", f"A {n}-byte frame: a {len(varint(n))}-byte varint ({varint(n).hex()}).", PROTO,
              ["VarintWidth"], fr(payload), [payload], ok())
    for n in (2**21 - 1, 2**21):
        g.add(f"declared-{n}", f"A declared length of {n} ({varint(n).hex()}), 3 bytes of payload so far: it waits for the rest.",
              PROTO, ["VarintWidth", "Incomplete"], varint(n) + b"abc", [], incomplete())
    g.add("declared-2-32", "A declared length of 2**32: refused at the varint's fifth byte.", ILP, ["EarlyReject"],
          varint(2**32), [], close("length_exceeds_max", 4), below=2**32)
    g.add("declared-all-ones", "The largest 64-bit length (ff x9, 01): refused at the tenth byte.", GO, ["EarlyReject"],
          varint(2**64 - 1), [], close("length_exceeds_max", 9), below=2**64 - 1)
    g.add("over-max-pending", "Four ff bytes: the groups so far (2**28 - 1) already exceed the maximum, and the varint is not over. "
          "The reference waits for its end; closing now is allowed.", ILP, ["EarlyReject", "Incomplete"],
          b"\xff" * 4, [], incomplete(), result="acceptable", alternatives=[{"frames": [], "outcome": close("length_exceeds_max", 3)}],
          requires=[f"max_length >= {2**21 - 1}", f"max_length < {2**28 - 1}"])
    g.add("pending-over-two-bytes", "ff 81: the groups so far (255) already exceed the maximum and the varint goes on. "
          "The reference waits; closing at the second byte is allowed.", ILP, ["EarlyReject", "Incomplete"],
          b"\xff\x81", [], incomplete(), result="acceptable", alternatives=[{"frames": [], "outcome": close("length_exceeds_max", 1)}],
          requires=["max_length >= 127", "max_length < 255"])
    g.add("pending-not-yet", "ff: 127 so far, and the varint may still end at 127 (ff 00): nothing is certain.", ILP,
          ["EarlyReject", "Incomplete"], b"\xff", [], incomplete(), requires=["max_length >= 127"])
    g.add("partial-varint", "A varint byte with the continuation bit, then nothing.", PROTO, ["Incomplete"], b"\x80", [], incomplete())
    g.add("partial-varint-two", "Two bytes of a three-byte varint.", PROTO, ["Incomplete"], varint(16384)[:2], [], incomplete(),
          requires=["max_length >= 127"])
    g.add("partial-payload", "The payload stops short.", PROTO, ["Incomplete"], fr(b"hello")[:-2], [], incomplete())
    g.add("after-frame-partial", "A frame, then part of the next.", PROTO, ["Incomplete"],
          fr(b"ok") + fr(b"hello")[:-1], [b"ok"], incomplete())
    g.add("after-frame-partial-varint", "A frame, then the first byte of a two-byte varint.", PROTO, ["Incomplete"],
          fr(b"ok") + b"\x80", [b"ok"], incomplete())
    whole = fr(fill(200))
    g.add("split-varint", "A two-byte varint split between its bytes.", PROTO, ["Split"], whole, [fill(200)], ok(),
          chunks=[whole[:1], whole[1:]])
    g.add("split-varint-bytewise", "A three-byte varint, one byte per read, then the payload.", PROTO, ["Split"],
          fr(fill(16384)), [fill(16384)], ok(), chunks=[fr(fill(16384))[i:i + 1] for i in range(3)] + [fr(fill(16384))[3:]])
    g.add("payload-split", "The payload split across three reads.", PROTO, ["Split"], fr(b"abcdef"), [b"abcdef"], ok(),
          chunks=[fr(b"abcdef")[:2], fr(b"abcdef")[2:5], fr(b"abcdef")[5:]])
    two = fr(b"ab") + fr(fill(300))
    g.add("frames-split-mid-varint", "Two frames, the read boundary inside the second varint.", PROTO, ["Split"],
          two, [b"ab", fill(300)], ok(), chunks=[two[:4], two[4:]])
    for slug, payload, extra in (("5", b"hello", 1), ("5-three-zeros", b"hello", 3), ("zero", b"", 1), ("zero-ten-bytes", b"", 9),
                                 ("128-three-bytes", fill(128), 1)):  # fmt: skip
        data = overlong(len(payload), extra)
        g.add(f"overlong-{slug}", f"{len(payload)} written in {len(data)} bytes ({data.hex()}): protobuf accepts it, strict mode does not.",
              PROTO, ["Overlong"], data + payload, [payload], ok(), result="acceptable", reading=LENIENT,
              alternatives=[{"frames": [], "outcome": close("non_minimal_varint", len(data) - 1)}])
        g.add(f"strict-overlong-{slug}", f"{len(payload)} in {len(data)} bytes ({data.hex()}): refused at the varint's last byte.",
              PROTO, ["Overlong"], data + payload, [], close("non_minimal_varint", len(data) - 1), reading=STRICT)
    data = fr(b"ab") + overlong(3, 1) + b"xyz"
    g.add("overlong-after-frame", "A frame, then an overlong varint: the frame is delivered either way.", PROTO,
          ["Overlong"], data, [b"ab", b"xyz"], ok(), result="acceptable", reading=LENIENT,
          alternatives=[{"frames": [b"ab".hex()], "outcome": close("non_minimal_varint", 4)}])
    g.add("strict-overlong-after-frame", "A frame, then an overlong varint: the frame, then the close.", PROTO,
          ["Overlong", "Garbage"], data, [b"ab"], close("non_minimal_varint", 4), reading=STRICT)
    g.add("strict-overlong-split", "An overlong varint whose zero group arrives in its own read.", PROTO, ["Overlong", "Split"],
          overlong(5, 1) + b"hello", [], close("non_minimal_varint", 1), chunks=[overlong(5, 1)[:1], overlong(5, 1)[1:] + b"hello"],
          reading=STRICT)
    g.add("overlong-at-127", "127 written as ff 00: accepted (acceptable: strict readers refuse the form).", PROTO,
          ["Overlong", "MaxLength"], b"\xff\x00" + fill(127), [fill(127)], ok(), result="acceptable", reading=LENIENT,
          alternatives=[{"frames": [], "outcome": close("non_minimal_varint", 1)}])
    g.add("eleven-bytes", "An 11-byte varint (80 x10, 01): refused at the tenth byte.", GO, ["TooLong"],
          b"\x80" * 10 + b"\x01", [], close("varint_too_long", 9))
    g.add("eleven-bytes-overlong-zero", "Zero in 11 bytes (80 x10, 00): longer than any varint may be.", GO, ["TooLong"],
          b"\x80" * 10 + b"\x00", [], close("varint_too_long", 9))
    g.add("ten-bytes-continuing", "Ten bytes, the last still asking for more: refused without waiting for an eleventh.", GO,
          ["TooLong", "EarlyReject"], b"\x80" * 10, [], close("varint_too_long", 9))
    g.add("ff-run", "A run of ff bytes: the tenth cannot end a varint.", GO, ["TooLong", "Garbage"],
          fr(b"x") + b"\xff" * 12, [b"x"], close("varint_too_long", 11))
    g.add("overflow-02", "A tenth byte of 02: bit 64, beyond a 64-bit length.", GO, ["Overflow"],
          b"\xff" * 9 + b"\x02", [], close("varint_overflow", 9), requires=[])
    g.add("overflow-7f", "A tenth byte of 7f after zero groups.", GO, ["Overflow"], b"\x80" * 9 + b"\x7f", [],
          close("varint_overflow", 9), requires=[])
    g.add("tenth-byte-01-zero-groups", "2**63 (80 x9, 01): fits in 64 bits, but is over the maximum.", GO, ["EarlyReject"],
          b"\x80" * 9 + b"\x01", [], close("length_exceeds_max", 9), below=2**63)
    g.add("garbage-then-valid", "A too-long varint, then a valid frame: nothing after the error.", GO, ["Garbage"],
          b"\x80" * 10 + b"\x01" + fr(b"ok"), [], close("varint_too_long", 9))

    # The maximum, at any value: templates built from max_length.
    t = f.group("varint", {}, "Boundaries, built from max_length.")
    over = "max_length + 1"
    t.add("max-at", "A frame of exactly max_length bytes.", ILP, ["MaxLength"], T(vint("max_length"), rep(bytes(range(251)), "max_length")),
          [T(rep(bytes(range(251)), "max_length"))], ok())
    t.add("max-below", "A frame of max_length - 1 bytes.", ILP, ["MaxLength"],
          T(vint("max_length - 1"), rep(b"0123456789", "max_length - 1")), [T(rep(b"0123456789", "max_length - 1"))], ok(),
          requires=["max_length >= 1"])
    t.add("max-over", "A frame of max_length + 1 bytes: refused at the varint's last byte.", ILP, ["MaxLength", "EarlyReject"],
          T(vint(over), rep(b"z", over)), [], close("length_exceeds_max", f"vlen({over}) - 1"), requires=[f"max_length < {2**64 - 1}"])
    t.add("max-over-declared", "A declared length of max_length + 1, a little payload after it: refused before the payload.",
          ILP, ["MaxLength", "EarlyReject"], T(vint(over), b"xy"), [], close("length_exceeds_max", f"vlen({over}) - 1"),
          requires=[f"max_length < {2**64 - 1}"])
    t.add("max-declared", "A declared length of max_length, a little payload so far: accepted, the rest is awaited.", ILP,
          ["MaxLength", "Incomplete"], T(vint("max_length"), b"xy"), [], incomplete(), requires=["max_length >= 3"])
    t.add("max-after-frame", "A frame at the maximum, then one over it.", ILP, ["MaxLength", "Garbage"],
          T(vint("max_length"), rep(b"a", "max_length"), vint(over), rep(b"b", over)), [T(rep(b"a", "max_length"))],
          close("length_exceeds_max", f"vlen(max_length) + max_length + vlen({over}) - 1"), requires=[f"max_length < {2**64 - 1}"])
    frame = T(vint("max_length"), rep(b"abcdefghij", "max_length"))
    payload = T(rep(b"abcdefghij", "max_length"))
    size = "vlen(max_length) + max_length"
    t.add("max-at-twice", "Two max-length frames in one read.", ILP, ["MaxLength", "Burst"], frame + frame, [payload, payload], ok())
    t.add("max-at-burst", "Twenty max-length frames in one read.", ILP, ["MaxLength", "Burst"], frame * 20, [payload] * 20, ok(),
          requires=["max_length <= 65536"])
    t.add("max-at-then-empty", "A max-length frame, then an empty one.", ILP, ["MaxLength", "EmptyFrame"],
          frame + T(b"\x00"), [payload, b""], ok())
    t.add("max-at-then-partial", "A max-length frame, then the first byte of another varint.", ILP, ["MaxLength", "Incomplete"],
          frame + T(b"\x80"), [payload], incomplete())
    t.add("max-at-then-too-long", "A max-length frame, then eleven varint bytes: the frame, then the close.", GO,
          ["MaxLength", "TooLong"], frame + T(b"\x80" * 10 + b"\x01"), [payload], close("varint_too_long", f"{size} + 9"))
    t.add("max-at-then-overflow", "A max-length frame, then a length beyond 64 bits.", GO, ["MaxLength", "Overflow"],
          frame + T(b"\xff" * 9 + b"\x02"), [payload], close("varint_overflow", f"{size} + 9"))
    t.add("max-at-split-after-varint", "A max-length frame, the read boundary right after its varint.", PROTO,
          ["MaxLength", "Split"], frame, [payload], ok(), cuts=["vlen(max_length)"], requires=["max_length >= 1"])
    t.add("max-at-split-inside-varint", "A max-length frame whose varint is split between reads.", PROTO, ["MaxLength", "Split"],
          frame, [payload], ok(), cuts=["1"], requires=["max_length >= 128"])
    t.add("max-at-split-last-byte", "A max-length frame whose last payload byte arrives alone.", PROTO, ["MaxLength", "Split"],
          frame, [payload], ok(), cuts=[f"{size} - 1"], requires=["max_length >= 1"])
    t.add("max-over-split-varint", "A length over the maximum whose varint arrives a byte at a time.", ILP,
          ["EarlyReject", "Split"], T(vint(over), b"zz"), [], close("length_exceeds_max", f"vlen({over}) - 1"),
          cuts=["1"], requires=["max_length >= 127", f"max_length < {2**64 - 1}"])
    declared = T(vint("max_length"), b"abc")
    t.add("max-declared-after-frame", "A frame, then a declared length of max_length and three payload bytes: pending.", ILP,
          ["MaxLength", "Incomplete"], T(fr(b"ok")) + declared, [b"ok"], incomplete(), requires=["max_length >= 4"])
    t.add("max-below-declared", "A declared length of max_length - 1 and two payload bytes: pending.", ILP,
          ["MaxLength", "Incomplete"], T(vint("max_length - 1"), b"ab"), [], incomplete(), requires=["max_length >= 4"])
    t.add("max-declared-split-varint", "A declared length of max_length whose varint arrives a byte at a time: pending.", PROTO,
          ["MaxLength", "Split", "Incomplete"], declared, [], incomplete(), cuts=["1"], requires=["max_length >= 128"])
    t.add("max-over-then-valid", "A length over the maximum, then a valid frame: nothing after the varint.", ILP,
          ["EarlyReject", "Garbage"], T(vint(over), b"\x00"), [], close("length_exceeds_max", f"vlen({over}) - 1"),
          requires=[f"max_length < {2**64 - 1}"])
    t.add("max-over-after-empty", "An empty frame, then a declared length over the maximum.", ILP, ["MaxLength", "EarlyReject"],
          T(b"\x00", vint(over), b"zz"), [b""], close("length_exceeds_max", f"vlen({over})"), requires=[f"max_length < {2**64 - 1}"])
    return f
