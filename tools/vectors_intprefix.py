"""Golden vectors for int8/int16/int32 length-prefixed strings."""

from __future__ import annotations

from vectorlib import Family, T, close, incomplete, ok, rep, uint

TW = "twisted.protocols.basic.IntNStringReceiver"

NOTES = {
    "Basic": {"bugType": "BASIC", "description": "Ordinary frames: an unsigned big-endian length, then that many bytes."},
    "EmptyFrame": {"bugType": "EDGE_CASE", "description": "A zero-length prefix is a frame of no bytes and must be delivered."},
    "Binary": {"bugType": "BASIC", "description": "Payload bytes are data, including bytes that look like prefixes."},
    "MaxLength": {"bugType": "EDGE_CASE", "description": "max_length is inclusive: max_length is accepted, max_length+1 is not."},
    "EarlyReject": {"bugType": "RESOURCE_LIMIT", "description": "An over-max prefix is rejected as soon as the prefix is complete, without waiting for the payload."},
    "Endianness": {"bugType": "MODIFIED_PARAMETER", "description": "The prefix is big-endian (network order). A little-endian reader sees a different length."},
    "Signedness": {"bugType": "MODIFIED_PARAMETER", "description": "The prefix is unsigned. A signed reader sees a negative length for prefixes with the top bit set."},
    "AllOnes": {"bugType": "EDGE_CASE", "description": "The largest prefix the width can express."},
    "Garbage": {"bugType": "MALFORMED", "description": "Frames before the invalid prefix are delivered; nothing after it is."},
    "Incomplete": {"bugType": "BASIC", "description": "The input stops inside a prefix or a payload: nothing of that frame is delivered."},
    "Split": {"bugType": "SPLIT", "description": "Explicit chunking of prefixes and payloads across reads."},
    "Burst": {"bugType": "BASIC", "description": "Many frames in one read come out complete and in order."},
}


def needs(data: bytes, width: int) -> list[str]:
    """The maximum this input needs, by construction: the largest complete prefix in it,
    read frame by frame as the builder wrote them."""
    top, i = 0, 0
    while len(data) - i >= width:
        length = int.from_bytes(data[i : i + width], "big")
        top = max(top, length)
        i += width + length
    return [f"max_length >= {top}"] if top else []


class Open:
    """A group of concrete vectors for any max_length that admits them (``needs``), or, with
    ``below``, for those under it (vectors whose point is a length over the maximum)."""

    def __init__(self, group, width: int) -> None:
        self.group, self.width = group, width

    def add(self, slug, description, ref, flags, data, *args, below=None, **kwargs) -> None:
        requires = kwargs.pop("requires", None)
        if requires is None:
            requires = [f"max_length < {below}"] if below is not None else needs(data, self.width)
        self.group.add(slug, description, ref, flags, data, *args, requires=requires, **kwargs)


def build() -> Family:
    f = Family("intprefix", [
        "Int-prefixed string golden vectors (Twisted's Int8/16/32StringReceiver).",
        "Offsets are 0-based indexes of the byte whose arrival makes the stream invalid: the last byte of an over-max prefix.",
        "max_length is at most what the prefix can say (255, 65535, 4294967295); the defaults are 255, 65535 and Twisted's 99999.",
    ], NOTES)
    for width, proto in ((1, "int8"), (2, "int16"), (4, "int32")):
        top = (1 << (8 * width)) - 1

        def fr(payload: bytes, w: int = width) -> bytes:
            return len(payload).to_bytes(w, "big") + payload

        g = Open(f.group(proto, {}, f"{proto}: any max_length that admits each vector's declared lengths."), width)
        p = proto
        g.add(f"{p}-hello", "One frame.", TW, ["Basic"], fr(b"hello"), [b"hello"], ok())
        g.add(f"{p}-empty", "A zero-length frame.", TW, ["EmptyFrame"], fr(b""), [b""], ok())
        g.add(f"{p}-empty-run", "Three zero-length frames, then one byte.", TW, ["EmptyFrame"],
              fr(b"") * 3 + fr(b"x"), [b"", b"", b"", b"x"], ok())
        g.add(f"{p}-empty-input", "No bytes at all.", TW, ["Incomplete"], b"", [], ok())
        g.add(f"{p}-two", "Two frames back to back.", TW, ["Basic"], fr(b"ab") + fr(b"cde"), [b"ab", b"cde"], ok())
        g.add(f"{p}-binary", "Every byte value as payload.", TW, ["Binary"], fr(bytes(range(200))), [bytes(range(200))], ok())
        g.add(f"{p}-invalid-utf8", "Invalid UTF-8 is data.", TW, ["Binary"], fr(b"\xc3\x28\xff"), [b"\xc3\x28\xff"], ok())
        g.add(f"{p}-prefix-lookalike", "A payload of zero bytes that look like prefixes.", TW, ["Binary"],
              fr(b"\x00" * 9), [b"\x00" * 9], ok())
        burst = [bytes([i % 256]) * (i % 7) for i in range(150)]
        g.add(f"{p}-burst", "150 frames of 0 to 6 bytes in one read.", TW, ["Burst"], b"".join(fr(x) for x in burst), burst, ok())
        g.add(f"{p}-partial-payload", "The payload stops short.", TW, ["Incomplete"], fr(b"hello")[:-2], [], incomplete())
        g.add(f"{p}-after-frame-partial", "A frame, then part of the next.", TW, ["Incomplete"],
              fr(b"ok") + fr(b"hello")[:-1], [b"ok"], incomplete())
        g.add(f"{p}-prefix-only", "A complete prefix, no payload yet.", TW, ["Incomplete"], fr(b"abc")[:width], [], incomplete())
        if width > 1:
            g.add(f"{p}-partial-prefix", "Part of a prefix.", TW, ["Incomplete"], fr(b"abc")[: width - 1], [], incomplete())
            whole = fr(b"hello")
            g.add(f"{p}-prefix-split", "The prefix split byte by byte across reads.", TW, ["Split"], whole, [b"hello"], ok(),
                  chunks=[whole[i:i + 1] for i in range(width)] + [whole[width:]])
            # Big-endian: 00..05 is 5; a little-endian reader sees 5 << 8*(width-1).
            le_len = 5 << (8 * (width - 1))
            g.add(f"{p}-big-endian", f"Prefix {whole[:width].hex()} is 5, not {le_len} (little-endian).", TW, ["Endianness"],
                  whole, [b"hello"], ok())
            le = (5).to_bytes(width, "little") + b"hello"
            g.add(f"{p}-little-endian-prefix", f"A little-endian 5 is {le_len}: the frame is still pending.", TW,
                  ["Endianness", "Incomplete"], le, [], incomplete())
            g.add(f"{p}-little-endian-prefix-over", f"A little-endian 5 is {le_len}: over max_length.", TW,
                  ["Endianness", "EarlyReject"], le, [], close("length_exceeds_max", width - 1), below=le_len)
        g.add(f"{p}-payload-split", "The payload split across three reads.", TW, ["Split"], fr(b"abcdef"), [b"abcdef"], ok(),
              chunks=[fr(b"abcdef")[: width + 1], fr(b"abcdef")[width + 1: width + 4], fr(b"abcdef")[width + 4:]])
        g.add(f"{p}-frames-split-mid-prefix", "Two frames, the read boundary inside the second prefix.", TW, ["Split"],
              fr(b"ab") + fr(b"cd"), [b"ab", b"cd"], ok(),
              chunks=[(fr(b"ab") + fr(b"cd"))[: width + 2 + max(1, width // 2)], (fr(b"ab") + fr(b"cd"))[width + 2 + max(1, width // 2):]])
        # Top bit set: unsigned.
        topbit = 1 << (8 * width - 1)
        head = topbit.to_bytes(width, "big")
        if width < 4:
            payload = bytes(range(256)) * (topbit // 256) + bytes(range(topbit % 256))
            g.add(f"{p}-top-bit-set", f"Prefix {head.hex()} is {topbit}, not negative.", TW, ["Signedness"],
                  fr(payload), [payload], ok())
        g.add(f"{p}-top-bit-set-over", f"Prefix {head.hex()} is {topbit} (unsigned): over max_length.", TW,
              ["Signedness", "EarlyReject"], head + b"data", [], close("length_exceeds_max", width - 1), below=topbit)
        ones = b"\xff" * width
        if width == 1:
            g.add(f"{p}-all-ones", "Prefix ff: a full 255-byte frame.", TW, ["AllOnes"], fr(bytes(range(255))), [bytes(range(255))], ok())
        else:
            g.add(f"{p}-all-ones", f"Prefix {ones.hex()}: {top} bytes, still pending after 10.", TW, ["AllOnes", "Incomplete"],
                  ones + b"x" * 10, [], incomplete())
        g.add(f"{p}-all-ones-over", f"Prefix {ones.hex()} = {top}: over max_length at once.", TW, ["AllOnes", "EarlyReject"],
              ones, [], close("length_exceeds_max", width - 1), below=top)
        g.add(f"{p}-all-ones-after-frame", "A frame, then an all-ones prefix over max_length.", TW, ["AllOnes", "Garbage"],
              fr(b"ok") + ones + b"trailing", [b"ok"], close("length_exceeds_max", width + 2 + width - 1),
              requires=["max_length >= 2", f"max_length < {top}"])
        if width == 4:
            g.add(f"{p}-declared-10gb", "A prefix near 2**32 followed by a trickle: rejected at the prefix.", TW, ["EarlyReject"],
                  (0xFFFFFFF0).to_bytes(4, "big") + b"drip", [], close("length_exceeds_max", 3), below=0xFFFFFFF0)

        # The maximum, at any value: templates built from max_length.
        for m in {1: (255, 0, 1, 10), 2: (65535, 0, 1, 10, 255, 1000), 4: (99999, 0, 1, 10, 255, 1000)}[width]:
            f.configuration(proto, max_length=m)
        t = f.group(proto, {}, f"{proto}: boundaries, built from max_length.")
        over = "max_length + 1"
        t.add(f"{p}-max-below", "A frame of max_length - 1 bytes.", TW, ["MaxLength"],
              T(uint("max_length - 1", width), rep(b"0123456789", "max_length - 1")), [T(rep(b"0123456789", "max_length - 1"))],
              ok(), requires=["max_length >= 1"])
        t.add(f"{p}-max-at", "A frame of exactly max_length bytes.", TW, ["MaxLength"],
              T(uint("max_length", width), rep(bytes(range(256)), "max_length")), [T(rep(bytes(range(256)), "max_length"))], ok())
        t.add(f"{p}-max-over", "Prefix max_length + 1: rejected at the last prefix byte, payload never awaited.", TW,
              ["MaxLength", "EarlyReject"], T(uint(over, width)), [], close("length_exceeds_max", width - 1),
              requires=[f"max_length < {top}"])
        t.add(f"{p}-max-over-with-payload", "Prefix max_length + 1 and payload after it: still rejected at the prefix.", TW,
              ["MaxLength", "EarlyReject"], T(uint(over, width), rep(b"q", f"min({over}, 64)")), [],
              close("length_exceeds_max", width - 1),
              requires=[f"max_length < {top}"])
        t.add(f"{p}-max-over-after-frame", "A valid frame, then an over-max prefix.", TW, ["MaxLength", "Garbage"],
              T(fr(b""), uint(over, width)), [b""], close("length_exceeds_max", 2 * width - 1), requires=[f"max_length < {top}"])
        if width > 1:
            t.add(f"{p}-max-over-split-prefix", "An over-max prefix arriving a byte at a time.", TW, ["EarlyReject", "Split"],
                  T(uint(over, width), b"zz"), [], close("length_exceeds_max", width - 1), requires=[f"max_length < {top}"],
                  cuts=[*range(1, width), width])
        t.add(f"{p}-max-partial", "A prefix of max_length and part of its payload: pending.", TW, ["MaxLength", "Incomplete"],
              T(uint("max_length", width), rep(b"p", "min(max_length - 1, 100)")), [], incomplete(), requires=["max_length >= 1"])
        frame = T(uint("max_length", width), rep(b"abcdefghij", "max_length"))
        payload = T(rep(b"abcdefghij", "max_length"))
        t.add(f"{p}-max-at-twice", "Two max-length frames in one read.", TW, ["MaxLength", "Burst"], frame + frame,
              [payload, payload], ok())
        t.add(f"{p}-max-at-then-empty", "A max-length frame, then an empty one.", TW, ["MaxLength", "EmptyFrame"],
              frame + T(fr(b"")), [payload, b""], ok())
        t.add(f"{p}-max-at-then-over", "A max-length frame, then a prefix one over: the frame, then the close.", TW,
              ["MaxLength", "EarlyReject"], frame + T(uint(over, width)), [payload],
              close("length_exceeds_max", f"{width} + max_length + {width} - 1"), requires=[f"max_length < {top}"])
        t.add(f"{p}-max-at-split-after-prefix", "A max-length frame, the read boundary right after the prefix.", TW,
              ["MaxLength", "Split"], frame, [payload], ok(), cuts=[str(width)], requires=["max_length >= 1"])
        t.add(f"{p}-max-at-split-last-byte", "A max-length frame whose last payload byte arrives alone.", TW,
              ["MaxLength", "Split"], frame, [payload], ok(), cuts=[f"{width} + max_length - 1"], requires=["max_length >= 1"])
        t.add(f"{p}-max-at-then-over-with-payload", "A max-length frame, then a prefix one over and payload after it.", TW,
              ["MaxLength", "EarlyReject"], frame + T(uint(over, width), b"qq"), [payload],
              close("length_exceeds_max", f"{width} + max_length + {width} - 1"), requires=[f"max_length < {top}"])
        t.add(f"{p}-max-over-after-empty-frames", "Three empty frames, then a prefix over the maximum.", TW,
              ["EmptyFrame", "EarlyReject"], T(fr(b"") * 3, uint(over, width)), [b"", b"", b""],
              close("length_exceeds_max", 4 * width - 1), requires=[f"max_length < {top}"])
        t.add(f"{p}-max-over-then-valid", "A prefix over the maximum, then a valid frame: nothing after the prefix.", TW,
              ["EarlyReject", "Garbage"], T(uint(over, width), fr(b"")), [], close("length_exceeds_max", width - 1),
              requires=[f"max_length < {top}"])
        declared = T(uint("max_length", width), b"abc")
        t.add(f"{p}-max-declared-after-frame", "A frame, then a prefix of max_length and three payload bytes: pending.", TW,
              ["MaxLength", "Incomplete"], T(fr(b"ok")) + declared, [b"ok"], incomplete(), requires=["max_length >= 4"])
        t.add(f"{p}-max-below-declared", "A prefix of max_length - 1 and two payload bytes: pending.", TW,
              ["MaxLength", "Incomplete"], T(uint("max_length - 1", width), b"ab"), [], incomplete(), requires=["max_length >= 4"])
        if width > 1:
            t.add(f"{p}-max-declared-prefix-split", "A prefix of max_length arriving a byte at a time, then payload: pending.",
                  TW, ["MaxLength", "Split", "Incomplete"], declared, [], incomplete(), cuts=[*range(1, width + 1)],
                  requires=["max_length >= 4"])
    return f
