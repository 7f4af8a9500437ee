"""Golden vectors for netstrings."""

from __future__ import annotations

import re

from vectorlib import Family, T, close, dec, incomplete, ok, rep

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


def needs(data: bytes) -> list[str]:
    """The maximum this input needs, by construction: the largest length its frames declare
    (digits at a frame's start, complete or not), read frame by frame as the builder wrote them."""
    top, i = 0, 0
    while i < len(data):
        digits = re.match(rb"[0-9]+", data[i:])
        if digits is None:
            break
        top = max(top, int(digits.group()))
        i += len(digits.group())
        if data[i : i + 1] != b":":
            break
        i += 1 + int(digits.group()) + 1
    return [f"max_length >= {top}"] if top else []


def build() -> Family:
    f = Family("netstring", [
        "Netstring golden vectors: [len]\":\"[payload]\",\" with len = 0|[1-9][0-9]*.",
        "Offsets are 0-based indexes into the input of the byte whose arrival makes the stream invalid.",
    ], NOTES)

    g = Open(f.group("netstring", {}, "Any max_length that admits each vector's declared lengths."))
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

    # The maximum, at any value: templates built from max_length.
    for m in (99999, 0, 1, 9, 10, 100, 1000):
        f.configuration("netstring", max_length=m)
    t = f.group("netstring", {}, "Boundaries, built from max_length.")
    data = bytes(range(256))
    m, over = "max_length", "max_length + 1"
    t.add("max-below", "A payload of max_length - 1 bytes.", TW, ["MaxLength"],
          T(dec(f"{m} - 1"), b":", rep(b"0123456789", f"{m} - 1"), b","), [T(rep(b"0123456789", f"{m} - 1"))], ok(),
          requires=["max_length >= 1"])
    t.add("max-at", "A payload of exactly max_length bytes.", TW, ["MaxLength"],
          T(dec(m), b":", rep(data, m), b","), [T(rep(data, m))], ok())
    t.add("max-over", "A length of max_length + 1, rejected at its last digit, before the colon.", TW,
          ["MaxLength", "EarlyReject"], T(dec(over), b":", rep(b"z", over), b","), [],
          close("length_exceeds_max", f"digits({over}) - 1"))
    t.add("max-over-digits-only", "Only the digits of max_length + 1, no colon yet: already rejected.", TW,
          ["EarlyReject"], T(dec(over)), [], close("length_exceeds_max", f"digits({over}) - 1"))
    t.add("max-endless-digits", "The digits of max_length + 1 and thirty more: rejected without waiting for them.", TW,
          ["EarlyReject"], T(dec(over), b"1" * 30), [], close("length_exceeds_max", f"digits({over}) - 1"))
    t.add("max-over-tenfold", "A length ten times max_length (10 for 0): rejected at the digit that passes the maximum.",
          TW, ["EarlyReject"], T(dec("max(max_length, 1) * 10"), b":"), [],
          close("length_exceeds_max", "digits(max_length) * min(max_length, 1)"))
    t.add("max-huge-declared", "A length 100000 times max_length + 1: rejected before any payload.", TW, ["EarlyReject"],
          T(dec(f"({over}) * 100000"), b":", b"x" * 16), [], close("length_exceeds_max", f"digits({over}) - 1"))
    t.add("max-after-frame", "A valid frame, then a length over the maximum.", TW, ["MaxLength", "Garbage"],
          T(b"0:,", dec(over), b":"), [b""], close("length_exceeds_max", f"3 + digits({over}) - 1"))
    t.add("max-at-digits-pending", "The digits of max_length alone: still pending.", TW, ["MaxLength", "Incomplete"],
          T(dec(m)), [], incomplete())
    t.add("max-partial", "A declared length of max_length and part of its payload: pending.", TW,
          ["MaxLength", "Incomplete"], T(dec(m), b":", rep(data, "min(max_length, 100)")), [], incomplete())
    t.add("max-at-split", "A max-length frame in two reads.", TW, ["MaxLength", "Split"],
          T(dec(m), b":", rep(b"abcdefghij", m), b","), [T(rep(b"abcdefghij", m))], ok(),
          cuts=["(digits(max_length) + max_length + 2) // 2"])
    frame = T(dec(m), b":", rep(b"abcdefghij", m), b",")
    payload = T(rep(b"abcdefghij", m))
    at_end = "digits(max_length) + max_length + 2"
    t.add("max-at-split-after-colon", "A max-length frame, the read boundary right after the colon.", TW, ["MaxLength", "Split"],
          frame, [payload], ok(), cuts=["digits(max_length) + 1"])
    t.add("max-at-split-before-comma", "A max-length frame whose comma arrives alone.", TW, ["MaxLength", "Split"],
          frame, [payload], ok(), cuts=["digits(max_length) + 1 + max_length"])
    t.add("max-at-twice", "Two max-length frames in one read.", TW, ["MaxLength", "Burst"], frame + frame, [payload, payload], ok())
    t.add("max-at-burst", "Twenty max-length frames in one read.", TW, ["MaxLength", "Burst"], frame * 20, [payload] * 20, ok(),
          requires=["max_length <= 65536"])
    t.add("max-at-then-empty", "A max-length frame, then an empty one.", TW, ["MaxLength", "EmptyFrame"],
          frame + T(b"0:,"), [payload, b""], ok())
    t.add("max-at-then-over", "A max-length frame, then a length one over: the frame, then the close.", TW,
          ["MaxLength", "EarlyReject"], frame + T(dec(over), b":"), [payload],
          close("length_exceeds_max", f"{at_end} + digits({over}) - 1"))
    t.add("max-at-then-garbage", "A max-length frame, then a byte that starts no length.", TW, ["MaxLength", "Garbage"],
          frame + T(b"x"), [payload], close("bad_length_char", at_end))
    t.add("max-at-then-partial", "A max-length frame, then the start of another.", TW, ["MaxLength", "Incomplete"],
          frame + T(dec(m), b":"), [payload], incomplete())
    t.add("max-at-missing-comma", "A max-length payload followed by ';'.", TW, ["MaxLength", "Terminator"],
          T(dec(m), b":", rep(b"abcdefghij", m), b";"), [], close("missing_comma", f"{at_end} - 1"))
    t.add("max-at-leading-zero", "The length of a max-length frame with a zero before it.", TW, ["LeadingZero"],
          T(b"0", dec(m), b":", rep(b"abcdefghij", m), b","), [], close("leading_zero", 1))
    t.add("max-over-split-digits", "A length over the maximum whose digits arrive a read at a time.", TW, ["EarlyReject", "Split"],
          T(dec(over), b":"), [], close("length_exceeds_max", f"digits({over}) - 1"), cuts=["1"], requires=["max_length >= 9"])
    return f


class Open:
    """A group of concrete vectors for any max_length that admits them (``needs``)."""

    def __init__(self, group) -> None:
        self.group = group

    def add(self, slug, description, ref, flags, data, *args, **kwargs) -> None:
        self.group.add(slug, description, ref, flags, data, *args, requires=needs(data), **kwargs)
