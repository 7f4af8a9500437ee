"""Golden vectors for int8/int16/int32 length-prefixed strings."""

from __future__ import annotations

from vectorlib import Family, close, incomplete, ok

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


def build() -> Family:
    f = Family("intprefix", [
        "Int-prefixed string golden vectors (Twisted's Int8/16/32StringReceiver).",
        "Offsets are 0-based indexes of the byte whose arrival makes the stream invalid: the last byte of an over-max prefix.",
    ], NOTES)
    for width, proto in ((1, "int8"), (2, "int16"), (4, "int32")):
        top = (1 << (8 * width)) - 1

        def fr(payload: bytes, w: int = width) -> bytes:
            return len(payload).to_bytes(w, "big") + payload

        g = f.group(proto, {"max_length": 99999}, f"{proto} with Twisted's default MAX_LENGTH.")
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
            if le_len > 99999:
                g.add(f"{p}-little-endian-prefix", f"A little-endian 5 is {le_len}: over max_length.", TW, ["Endianness", "EarlyReject"],
                      le, [], close("length_exceeds_max", width - 1))
            else:
                g.add(f"{p}-little-endian-prefix", f"A little-endian 5 is {le_len}: the frame is still pending.", TW, ["Endianness", "Incomplete"],
                      le, [], incomplete())
        g.add(f"{p}-payload-split", "The payload split across three reads.", TW, ["Split"], fr(b"abcdef"), [b"abcdef"], ok(),
              chunks=[fr(b"abcdef")[: width + 1], fr(b"abcdef")[width + 1: width + 4], fr(b"abcdef")[width + 4:]])
        g.add(f"{p}-frames-split-mid-prefix", "Two frames, the read boundary inside the second prefix.", TW, ["Split"],
              fr(b"ab") + fr(b"cd"), [b"ab", b"cd"], ok(),
              chunks=[(fr(b"ab") + fr(b"cd"))[: width + 2 + max(1, width // 2)], (fr(b"ab") + fr(b"cd"))[width + 2 + max(1, width // 2):]])
        # Top bit set: unsigned.
        topbit = 1 << (8 * width - 1)
        if topbit <= 99999:
            payload = bytes(range(256)) * (topbit // 256) + bytes(range(topbit % 256))
            g.add(f"{p}-top-bit-set", f"Prefix {topbit.to_bytes(width, 'big').hex()} is {topbit}, not negative.", TW,
                  ["Signedness"], fr(payload), [payload], ok())
        else:
            g.add(f"{p}-top-bit-set", f"Prefix {topbit.to_bytes(width, 'big').hex()} is {topbit} (unsigned): over max_length.", TW,
                  ["Signedness", "EarlyReject"], topbit.to_bytes(width, "big") + b"data", [], close("length_exceeds_max", width - 1))
        if top <= 99999:
            if width == 1:
                payload = bytes(range(255))
                g.add(f"{p}-all-ones", "Prefix ff: a full 255-byte frame.", TW, ["AllOnes"], fr(payload), [payload], ok())
            else:
                g.add(f"{p}-all-ones", f"Prefix {'ff' * width}: {top} bytes, still pending after 10.", TW, ["AllOnes", "Incomplete"],
                      b"\xff" * width + b"x" * 10, [], incomplete())
        else:
            g.add(f"{p}-all-ones", f"Prefix {'ff' * width} = {top}: over max_length at once.", TW, ["AllOnes", "EarlyReject"],
                  b"\xff" * width, [], close("length_exceeds_max", width - 1))
            g.add(f"{p}-all-ones-after-frame", "A frame, then an all-ones prefix.", TW, ["AllOnes", "Garbage"],
                  fr(b"ok") + b"\xff" * width + b"trailing", [b"ok"], close("length_exceeds_max", width + 2 + width - 1))
        if width == 4:
            payload = bytes(range(256)) * 390 + bytes(range(159))
            g.add(f"{p}-default-at-max", "A frame of exactly 99999 bytes.", TW, ["MaxLength"], fr(payload), [payload], ok())
            g.add(f"{p}-default-over", "Prefix 100000: rejected when the prefix is complete.", TW, ["MaxLength", "EarlyReject"],
                  (100000).to_bytes(4, "big"), [], close("length_exceeds_max", 3))
            g.add(f"{p}-declared-10gb", "A prefix near 2**32 followed by a trickle: rejected at the prefix.", TW, ["EarlyReject"],
                  (0xFFFFFFF0).to_bytes(4, "big") + b"drip", [], close("length_exceeds_max", 3))
        for m in (0, 1, 10, 255, 1000, 65535):
            if m > top and m != 65535:
                continue
            if m == 65535 and width != 2:
                continue  # the int16 ceiling only: a 64 KiB vector is enough
            g = f.group(proto, {"max_length": m}, f"{proto} with max_length {m}.")
            tag = f"{p}-max{m}"
            for size in (m - 1, m):
                if size < 0 or size > top or (m == 65535 and size != m):
                    continue
                payload = (b"0123456789" * (size // 10 + 1))[:size]
                label = "at-max" if size == m else "below-max"
                g.add(f"{tag}-{label}", f"A {size}-byte frame with max_length {m}.", TW, ["MaxLength"], fr(payload), [payload], ok())
            if m + 1 <= top:
                g.add(f"{tag}-over", f"Prefix {m + 1}: rejected at the last prefix byte, payload never awaited.", TW,
                      ["MaxLength", "EarlyReject"], (m + 1).to_bytes(width, "big"), [], close("length_exceeds_max", width - 1))
                g.add(f"{tag}-over-with-payload", f"Prefix {m + 1} and its payload: still rejected at the prefix.", TW,
                      ["MaxLength", "EarlyReject"], fr(b"q" * (m + 1)), [], close("length_exceeds_max", width - 1))
                g.add(f"{tag}-over-after-frame", "A valid frame, then an over-max prefix.", TW, ["MaxLength", "Garbage"],
                      fr(b"") + (m + 1).to_bytes(width, "big"), [b""], close("length_exceeds_max", 2 * width - 1))
                whole = (m + 1).to_bytes(width, "big")
                if width > 1:
                    g.add(f"{tag}-over-split-prefix", "An over-max prefix arriving a byte at a time.", TW, ["EarlyReject", "Split"],
                          whole + b"zz", [], close("length_exceeds_max", width - 1), chunks=[whole[:1], whole[1:], b"zz"])
            elif width == 1:
                g.add(f"{tag}-ceiling", "max_length 255 cannot be exceeded by a one-byte prefix.", TW, ["AllOnes"],
                      fr(b"\x00" * 255), [b"\x00" * 255], ok())
    return f
