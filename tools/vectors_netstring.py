"""Golden vectors for netstrings."""

from __future__ import annotations

from vectorlib import Family, close, incomplete, ok

SPEC = "netstrings.txt section 2"
TW = "twisted.protocols.basic.NetstringReceiver"

NOTES = {
    "Spec": {"bugType": "BASIC", "description": "An example or rule stated in netstrings.txt.",
             "links": ["https://cr.yp.to/proto/netstrings.txt"]},
    "EmptyFrame": {"bugType": "EDGE_CASE", "description": "A zero-length payload ('0:,') is a frame and must be delivered."},
    "Binary": {"bugType": "BASIC", "description": "Payloads are bytes: NUL, high bytes, invalid UTF-8, and the framing characters themselves are data."},
    "LeadingZero": {"bugType": "MISSING_CHECK", "description": "netstrings.txt: 'Extra zeros at the front of [len] are prohibited'. '0:' is the only length that starts with 0."},
    "LengthSyntax": {"bugType": "MISSING_CHECK", "description": "The length is ASCII digits only. Python's int() also accepts a sign, surrounding spaces, underscores and non-ASCII digits; a parser built on it accepts all of these.",
                     "links": ["https://docs.python.org/3/library/functions.html#int"]},
    "EmptyLength": {"bugType": "MISSING_CHECK", "description": "A colon with no digits before it."},
    "MaxLength": {"bugType": "EDGE_CASE", "description": "max_length is inclusive: a payload of exactly max_length is accepted, max_length+1 is not."},
    "EarlyReject": {"bugType": "RESOURCE_LIMIT", "description": "A length is rejected at the first digit that takes it over max_length, before any colon: a peer cannot make the receiver wait for (or buffer) an oversized frame, or feed it endless digits."},
    "Terminator": {"bugType": "MALFORMED", "description": "The byte after the payload must be ','; anything else, including the next frame's digits, is an error."},
    "Garbage": {"bugType": "MALFORMED", "description": "Valid frames before the first invalid byte are delivered; nothing after it is."},
    "Incomplete": {"bugType": "BASIC", "description": "The input stops inside a frame: nothing of that frame is delivered and the connection stays open until more bytes or end of stream."},
    "Split": {"bugType": "SPLIT", "description": "Explicit chunking: the outcome must not depend on where the reads were split (every split is also tried by wirecheck run)."},
    "Burst": {"bugType": "BASIC", "description": "Many frames in one read come out complete and in order."},
}


def ns(payload: bytes) -> bytes:
    return b"%d:%s," % (len(payload), payload)


def first_exceeding_digit(digits: str, max_length: int) -> int:
    """Index of the first digit at which the decimal prefix exceeds max_length."""
    for i in range(1, len(digits) + 1):
        if int(digits[:i]) > max_length:
            return i - 1
    raise ValueError("never exceeds")


def build() -> Family:
    f = Family("netstring", [
        "Netstring golden vectors: [len]\":\"[payload]\",\" with len = 0|[1-9][0-9]*.",
        "Offsets are 0-based indexes into the input of the byte whose arrival makes the stream invalid.",
    ], NOTES)

    g = f.group("netstring", {"max_length": 99999}, "Twisted's default MAX_LENGTH.")
    g.add("spec-hello-world", "The example in netstrings.txt.", SPEC, ["Spec"], b"12:hello world!,", [b"hello world!"], ok())
    g.add("spec-empty", "The empty string is '0:,'.", SPEC, ["Spec", "EmptyFrame"], b"0:,", [b""], ok())
    g.add("empty-between", "An empty frame between two others.", SPEC, ["EmptyFrame"], b"1:a,0:,1:b,", [b"a", b"", b"b"], ok())
    g.add("empty-run", "Five empty frames in a row.", SPEC, ["EmptyFrame"], b"0:," * 5, [b""] * 5, ok())
    g.add("empty-input", "No bytes at all: nothing delivered, nothing wrong.", SPEC, ["Incomplete"], b"", [], ok())
    g.add("two-frames", "Two frames back to back.", SPEC, ["Spec"], b"5:hello,5:world,", [b"hello", b"world"], ok())
    bins = {
        "nul": b"\x00", "high-bytes": bytes(range(0x80, 0x100)), "invalid-utf8": b"\xc3\x28\xff\xfe",
        "all-bytes": bytes(range(256)), "colon-comma": b"3:abc,", "digits": b"12345", "crlf": b"\r\n",
        "comma-only": b",", "colon-only": b":", "utf16-bom": b"\xff\xfeh\x00i\x00",
    }
    for name, payload in bins.items():
        g.add(f"binary-{name}", f"Payload {name.replace('-', ' ')} is data.", SPEC, ["Binary"], ns(payload), [payload], ok())
    burst = [bytes([65 + i % 26]) * (i % 13) for i in range(200)]
    g.add("burst-200", "200 frames of 0 to 12 bytes in one read.", SPEC, ["Burst"], b"".join(map(ns, burst)), burst, ok())
    g.add("burst-10-byte", "100 ten-byte netstrings (7-byte payloads).", SPEC, ["Burst"], ns(b"abcdefg") * 100, [b"abcdefg"] * 100, ok())

    # Leading zeros.
    for text, off in [(b"00:,", 1), (b"01:a,", 1), (b"007:abcdefg,", 1), (b"000000", 1), (b"0000000001:a,", 1)]:
        g.add(f"leading-zero-{text.split(b':')[0].decode()}", f"Length {text.split(b':')[0].decode()!r} has a leading zero.",
              SPEC, ["LeadingZero"], text, [], close("leading_zero", off))
    g.add("leading-zero-after-frame", "A leading zero in the second frame's length.", SPEC, ["LeadingZero", "Garbage"],
          b"1:a,05:hello,", [b"a"], close("leading_zero", 5))
    g.add("leading-zero-split", "'0' and '5' of a length in separate reads.", SPEC, ["LeadingZero", "Split"],
          b"05:hello,", [], close("leading_zero", 1), chunks=[b"0", b"5:hello,"])
    g.add("zero-then-letter", "'0' followed by a non-digit that is not ':'.", SPEC, ["LengthSyntax"], b"0a:", [], close("bad_length_char", 1))
    g.add("zero-pending", "A lone '0' may still become '0:,'.", SPEC, ["Incomplete"], b"0", [], incomplete())

    # Length syntax that int() would accept.
    syntax = {
        "plus-sign": (b"+5:hello,", 0), "minus-sign": (b"-5:hello,", 0), "leading-space": (b" 5:hello,", 0),
        "trailing-space": (b"5 :hello,", 1), "tab": (b"\t5:hello,", 0), "newline": (b"\n5:hello,", 0),
        "underscore": (b"1_0:0123456789,", 1), "hex": (b"0x5:hello,", 1), "exponent": (b"1e1:0123456789,", 1),
        "decimal-point": (b"5.0:hello,", 1), "fullwidth-digit": ("\uff15:hello,".encode(), 0),
        "arabic-indic-digit": ("\u0665:hello,".encode(), 0), "superscript-digit": ("\u2075:hello,".encode(), 0),
        "letter": (b"x:,", 0), "nul-before-length": (b"\x005:hello,", 0), "plus-zero": (b"+0:,", 0),
        "minus-zero": (b"-0:,", 0), "space-after-digits-split": (b"12 :hello world!,", 2),
    }
    for name, (text, off) in syntax.items():
        g.add(f"length-{name}", f"Length syntax {name.replace('-', ' ')}: only ASCII digits are allowed.", SPEC,
              ["LengthSyntax"], text, [], close("bad_length_char", off))
    g.add("empty-length", "A colon with no length.", SPEC, ["EmptyLength"], b":,", [], close("empty_length", 0))
    g.add("empty-length-after-frame", "A colon with no length after a valid frame.", SPEC, ["EmptyLength", "Garbage"],
          b"0:,:", [b""], close("empty_length", 3))

    # Terminators.
    g.add("missing-comma-semicolon", "';' instead of ','.", SPEC, ["Terminator"], b"5:hello;", [], close("missing_comma", 7))
    g.add("missing-comma-next-frame", "The next frame starts where ',' should be.", SPEC, ["Terminator"],
          b"5:hello5:world,", [], close("missing_comma", 7))
    g.add("comma-early", "A ',' inside the payload is data; the byte after the payload is checked.", SPEC, ["Terminator"],
          b"5:hell,o", [], close("missing_comma", 7))
    g.add("length-too-short", "The length says 4 but 5 bytes precede the comma.", SPEC, ["Terminator"],
          b"4:hello,", [], close("missing_comma", 6))
    g.add("double-comma", "A second ',' after a frame is not a length.", SPEC, ["Terminator", "Garbage"],
          b"3:abc,,", [b"abc"], close("bad_length_char", 6))
    g.add("crlf-terminator", "CRLF after the payload instead of ','.", SPEC, ["Terminator"], b"2:ok\r\n", [], close("missing_comma", 4))
    g.add("empty-missing-comma", "'0:' followed by something other than ','.", SPEC, ["Terminator", "EmptyFrame"],
          b"0:;", [], close("missing_comma", 2))
    g.add("terminator-split", "The comma alone in the last read.", SPEC, ["Split"], b"5:hello,", [b"hello"], ok(),
          chunks=[b"5:hello", b","])
    g.add("bad-terminator-split", "A wrong terminator alone in the last read.", SPEC, ["Split", "Terminator"],
          b"5:hello.", [], close("missing_comma", 7), chunks=[b"5:hello", b"."])

    # Garbage after valid frames.
    g.add("garbage-after-frame", "Letters after a valid frame.", SPEC, ["Garbage"], b"5:hello,xyz", [b"hello"], close("bad_length_char", 8))
    g.add("garbage-then-valid", "A valid frame after the garbage is not delivered.", SPEC, ["Garbage"],
          b"2:ok,!5:hello,", [b"ok"], close("bad_length_char", 5))
    g.add("http-request", "An HTTP request line is not a netstring.", SPEC, ["Garbage"], b"GET / HTTP/1.0\r\n\r\n", [], close("bad_length_char", 0))

    # Incomplete input.
    for name, text, frames in [("digits", b"5", []), ("colon", b"5:", []), ("partial-payload", b"5:hel", []),
                               ("no-comma-yet", b"5:hello", []), ("after-frame", b"5:hello,3:ab", [b"hello"]),
                               ("long-digits", b"99999", [])]:
        g.add(f"incomplete-{name}", f"Input stops inside a frame ({name.replace('-', ' ')}).", SPEC, ["Incomplete"],
              text, frames, incomplete())

    # The default maximum.
    big = bytes(range(256)) * 390 + bytes(range(159))  # 99999 bytes
    assert len(big) == 99999
    g.add("max-default-at-max", "A payload of exactly MAX_LENGTH 99999.", TW, ["MaxLength"], ns(big), [big], ok())
    g.add("max-default-over", "Length 100000 is rejected at its sixth digit.", TW, ["MaxLength", "EarlyReject"],
          b"100000:", [], close("length_exceeds_max", 5))
    g.add("max-default-over-no-colon", "Digits alone exceed the maximum: rejected before any colon.", TW, ["EarlyReject"],
          b"100000", [], close("length_exceeds_max", 5))
    g.add("max-default-endless-digits", "Forty digits: rejected at the sixth.", TW, ["EarlyReject"], b"1" * 40, [],
          close("length_exceeds_max", 5))
    g.add("max-default-huge-declared", "A declared 10 GB frame is rejected before any payload.", TW, ["EarlyReject"],
          b"10000000000:" + b"x" * 16, [], close("length_exceeds_max", 5))
    g.add("max-default-partial", "A pending frame of the maximum length.", TW, ["MaxLength", "Incomplete"],
          b"99999:" + big[:100], [], incomplete())

    for m in (0, 1, 9, 10, 100, 1000):
        g = f.group("netstring", {"max_length": m}, f"max_length {m}.")
        for size in (m - 1, m):
            if size < 0:
                continue
            payload = (b"0123456789" * (size // 10 + 1))[:size]
            label = "at-max" if size == m else "below-max"
            g.add(f"max{m}-{label}", f"Payload of {size} bytes with max_length {m}.", TW, ["MaxLength"], ns(payload), [payload], ok())
        over = str(m + 1)
        g.add(f"max{m}-over", f"Length {over} with max_length {m}: rejected at its digit {first_exceeding_digit(over, m) + 1}.",
              TW, ["MaxLength", "EarlyReject"], ns(b"z" * (m + 1)), [], close("length_exceeds_max", first_exceeding_digit(over, m)))
        g.add(f"max{m}-over-digits-only", f"Only the digits of {over}, no colon yet.", TW, ["EarlyReject"],
              over.encode(), [], close("length_exceeds_max", first_exceeding_digit(over, m)))
        ten = str(max(m, 1) * 10)
        g.add(f"max{m}-over-tenfold", f"Length {ten} with max_length {m}.", TW, ["EarlyReject"],
              ten.encode() + b":", [], close("length_exceeds_max", first_exceeding_digit(ten, m)))
        g.add(f"max{m}-after-frame", "A valid frame, then an over-long length.", TW, ["MaxLength", "Garbage"],
              ns(b"") + over.encode() + b":", [b""], close("length_exceeds_max", 3 + first_exceeding_digit(over, m)))
        digits = str(m)
        g.add(f"max{m}-at-max-digits-pending", f"The digits of {digits} alone: still pending.", TW, ["MaxLength", "Incomplete"],
              digits.encode(), [], incomplete())
        payload = (b"abcdefghij" * (m // 10 + 1))[:m]
        whole = ns(payload)
        cut = max(1, len(whole) // 2)
        g.add(f"max{m}-at-max-split", "A max-length frame in two reads.", TW, ["MaxLength", "Split"], whole, [payload], ok(),
              chunks=[whole[:cut], whole[cut:]])
    return f
