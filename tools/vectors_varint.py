"""Golden vectors for varint-prefixed frames (protobuf's delimited streams, it-length-prefixed)."""

from __future__ import annotations

from vectorlib import Family, close, incomplete, ok

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


def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def fr(payload: bytes) -> bytes:
    return varint(len(payload)) + payload


def overlong(n: int, extra: int) -> bytes:
    """``n`` as a varint with ``extra`` zero groups added at the end."""
    v = bytearray(varint(n))
    v[-1] |= 0x80
    return bytes(v) + b"\x80" * (extra - 1) + b"\x00"


def fill(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def build() -> Family:
    f = Family("varint", [
        "Varint-prefixed frame golden vectors: an unsigned LEB128 length, then the payload.",
        "Offsets are 0-based indexes of the byte whose arrival makes the stream invalid: the byte that ends (or, at ten bytes, cannot end) the varint.",
        f"The default max_length, {MAX} (4 MiB), is it-length-prefixed's and Go protodelim's default.",
    ], NOTES)

    # --- the default configuration, lenient -----------------------------------------------
    g = f.group("varint", {"max_length": MAX, "strict": False}, "The default: 4 MiB maximum, overlong varints accepted.")
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
        head = varint(n) + b"abc"
        g.add(f"declared-{n}", f"A declared length of {n} ({varint(n).hex()}), 3 bytes of payload so far: it waits for the rest.",
              PROTO, ["VarintWidth", "Incomplete"], head, [], incomplete())
    g.add("declared-max", f"A declared length of max_length ({MAX}): accepted, the payload is awaited.", ILP,
          ["MaxLength", "Incomplete"], varint(MAX) + b"xy", [], incomplete())
    g.add("declared-max-plus-one", "A declared length of max_length + 1 is refused at the varint's last byte, before any payload.",
          ILP, ["MaxLength", "EarlyReject"], varint(MAX + 1) + b"xy", [], close("length_exceeds_max", 3))
    g.add("declared-2-32", "A declared length of 2**32: refused at the varint's fifth byte.", ILP, ["EarlyReject"],
          varint(2**32), [], close("length_exceeds_max", 4))
    g.add("declared-all-ones", "The largest 64-bit length (ff x9, 01): refused at the tenth byte.", GO, ["EarlyReject"],
          varint(2**64 - 1), [], close("length_exceeds_max", 9))
    g.add("after-frame-over-max", "A frame, then a length over the maximum: the frame is delivered.", ILP, ["EarlyReject", "Garbage"],
          fr(b"ok") + varint(MAX + 1), [b"ok"], close("length_exceeds_max", 6))
    g.add("over-max-pending", "Four ff bytes: the groups so far (2**28 - 1) already exceed the maximum, and the varint is not over. "
          "The reference waits for its end; closing now is allowed.", ILP, ["EarlyReject", "Incomplete"],
          b"\xff" * 4, [], incomplete(), result="acceptable",
          alternatives=[{"frames": [], "outcome": close("length_exceeds_max", 3)}])
    g.add("partial-varint", "A varint byte with the continuation bit, then nothing.", PROTO, ["Incomplete"], b"\x80", [], incomplete())
    g.add("partial-varint-two", "Two bytes of a three-byte varint.", PROTO, ["Incomplete"], varint(16384)[:2], [], incomplete())
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
    for slug, payload, extra in (("5", b"hello", 1), ("5-three-zeros", b"hello", 3), ("zero", b"", 1), ("zero-ten-bytes", b"", 9)):
        data = overlong(len(payload), extra)
        g.add(f"overlong-{slug}", f"{len(payload)} written in {len(data)} bytes ({data.hex()}): protobuf accepts it, strict mode does not.",
              PROTO, ["Overlong"], data + payload, [payload], ok(), result="acceptable",
              alternatives=[{"frames": [], "outcome": close("non_minimal_varint", len(data) - 1)}])
    data = fr(b"ab") + overlong(3, 1) + b"xyz"
    g.add("overlong-after-frame", "A frame, then an overlong varint: the frame is delivered either way.", PROTO,
          ["Overlong"], data, [b"ab", b"xyz"], ok(), result="acceptable",
          alternatives=[{"frames": [b"ab".hex()], "outcome": close("non_minimal_varint", 4)}])
    g.add("eleven-bytes", "An 11-byte varint (80 x10, 01): refused at the tenth byte.", GO, ["TooLong"],
          b"\x80" * 10 + b"\x01", [], close("varint_too_long", 9))
    g.add("eleven-bytes-overlong-zero", "Zero in 11 bytes (80 x10, 00): longer than any varint may be.", GO, ["TooLong"],
          b"\x80" * 10 + b"\x00", [], close("varint_too_long", 9))
    g.add("ten-bytes-continuing", "Ten bytes, the last still asking for more: refused without waiting for an eleventh.", GO,
          ["TooLong", "EarlyReject"], b"\x80" * 10, [], close("varint_too_long", 9))
    g.add("ff-run", "A run of ff bytes: the tenth cannot end a varint.", GO, ["TooLong", "Garbage"],
          fr(b"x") + b"\xff" * 12, [b"x"], close("varint_too_long", 11))
    g.add("overflow-02", "A tenth byte of 02: bit 64, beyond a 64-bit length.", GO, ["Overflow"],
          b"\xff" * 9 + b"\x02", [], close("varint_overflow", 9))
    g.add("overflow-7f", "A tenth byte of 7f after zero groups.", GO, ["Overflow"], b"\x80" * 9 + b"\x7f", [],
          close("varint_overflow", 9))
    g.add("tenth-byte-01-zero-groups", "2**63 (80 x9, 01): fits in 64 bits, but is over the maximum.", GO, ["EarlyReject"],
          b"\x80" * 9 + b"\x01", [], close("length_exceeds_max", 9))
    g.add("garbage-then-valid", "A too-long varint, then a valid frame: nothing after the error.", GO, ["Garbage"],
          b"\x80" * 10 + b"\x01" + fr(b"ok"), [], close("varint_too_long", 9))

    # --- strict -------------------------------------------------------------------------------
    s = f.group("varint", {"max_length": MAX, "strict": True}, "Strict mode: overlong varints are refused.")
    s.add("strict-hello", "One frame.", PROTO, ["Basic"], fr(b"hello"), [b"hello"], ok())
    s.add("strict-empty", "The single byte 00 is the minimal form of zero.", PROTO, ["EmptyFrame"], fr(b""), [b""], ok())
    s.add("strict-128", "80 01 is the minimal form of 128.", PROTO, ["VarintWidth"], fr(fill(128)), [fill(128)], ok())
    for slug, payload, extra in (("5", b"hello", 1), ("zero", b"", 1), ("zero-ten-bytes", b"", 9), ("128-three-bytes", fill(128), 1)):
        data = overlong(len(payload), extra)
        s.add(f"strict-overlong-{slug}", f"{len(payload)} in {len(data)} bytes ({data.hex()}): refused at the varint's last byte.",
              PROTO, ["Overlong"], data + payload, [], close("non_minimal_varint", len(data) - 1))
    s.add("strict-overlong-after-frame", "A frame, then an overlong varint: the frame, then the close.", PROTO, ["Overlong", "Garbage"],
          fr(b"ab") + overlong(3, 1) + b"xyz", [b"ab"], close("non_minimal_varint", 4))
    s.add("strict-overlong-split", "An overlong varint whose zero group arrives in its own read.", PROTO, ["Overlong", "Split"],
          overlong(5, 1) + b"hello", [], close("non_minimal_varint", 1), chunks=[overlong(5, 1)[:1], overlong(5, 1)[1:] + b"hello"])
    s.add("strict-eleven-bytes", "An 11-byte varint.", GO, ["TooLong"], b"\x80" * 10 + b"\x01", [], close("varint_too_long", 9))
    s.add("strict-over-max", "A length of max_length + 1.", ILP, ["MaxLength", "EarlyReject"], varint(MAX + 1), [],
          close("length_exceeds_max", 3))

    # --- small maxima, around the varint widths -------------------------------------------------
    for top in (0, 1, 127, 128, 16383, 16384):
        m = f.group("varint", {"max_length": top, "strict": False}, f"max_length {top}.")
        at, over = fill(top), fill(top + 1)
        m.add(f"max{top}-at-max", f"A frame of exactly max_length ({top}) bytes.", ILP, ["MaxLength"], fr(at), [at], ok())
        m.add(f"max{top}-over", f"A frame of max_length + 1 bytes: refused at the varint's last byte ({len(varint(top + 1)) - 1}).",
              ILP, ["MaxLength", "EarlyReject"], fr(over), [], close("length_exceeds_max", len(varint(top + 1)) - 1))
        m.add(f"max{top}-after-frame", "A frame at the maximum, then one over it.", ILP, ["MaxLength", "Garbage"],
              fr(at) + fr(over), [at], close("length_exceeds_max", len(fr(at)) + len(varint(top + 1)) - 1))
    m = f.find(max_length=127)
    m.add("max127-pending-over", "ff 81: the groups so far (255) already exceed 127 and the varint goes on. "
          "The reference waits; closing at the second byte is allowed.", ILP, ["EarlyReject", "Incomplete"],
          b"\xff\x81", [], incomplete(), result="acceptable", alternatives=[{"frames": [], "outcome": close("length_exceeds_max", 1)}])
    m.add("max127-pending-not-yet", "ff: 127 so far, and the varint may still end at 127 (ff 00): nothing is certain.", ILP,
          ["EarlyReject", "Incomplete"], b"\xff", [], incomplete())
    m.add("max127-overlong-at-max", "127 written as ff 00: accepted at the maximum (acceptable: strict readers refuse the form).",
          PROTO, ["Overlong", "MaxLength"], b"\xff\x00" + fill(127), [fill(127)], ok(), result="acceptable",
          alternatives=[{"frames": [], "outcome": close("non_minimal_varint", 1)}])
    big = f.group("varint", {"max_length": 2**21, "strict": False}, "max_length 2**21: the four-byte varints.")
    big.add("max2097152-declared-at-max", "A declared length of 2**21 (80 80 80 01): the payload is awaited.", ILP,
            ["MaxLength", "VarintWidth", "Incomplete"], varint(2**21) + b"abc", [], incomplete())
    big.add("max2097152-declared-over", "A declared length of 2**21 + 1: refused at the fourth varint byte.", ILP,
            ["MaxLength", "EarlyReject"], varint(2**21 + 1) + b"abc", [], close("length_exceeds_max", 3))
    return f
