"""Golden vectors for delimited lines (Twisted's LineReceiver / LineOnlyReceiver)."""

from __future__ import annotations

from vectorlib import Family, P, T, close, incomplete, ok, rep

TW = "twisted.protocols.basic.LineReceiver"
TWO = "twisted.protocols.basic.LineOnlyReceiver.dataReceived"

NOTES = {
    "Basic": {"bugType": "BASIC", "description": "Ordinary lines ended by the delimiter."},
    "EmptyLine": {"bugType": "EDGE_CASE", "description": "Two delimiters in a row make an empty line, which must be delivered."},
    "BareCrLf": {"bugType": "EDGE_CASE", "description": "With a CRLF delimiter, a CR or LF on its own is data, not an end of line."},
    "Binary": {"bugType": "BASIC", "description": "Lines are bytes: NUL, high bytes and invalid UTF-8 are data."},
    "MaxLength": {"bugType": "EDGE_CASE", "description": "max_length counts the line without its delimiter and is inclusive."},
    "TooLong": {"bugType": "RESOURCE_LIMIT", "description": "A line longer than max_length closes the connection. An unterminated buffer is rejected once max_length + len(delimiter) bytes hold no delimiter; not before, since until then the delimiter may still complete a legal line."},
    "DelimiterSplit": {"bugType": "SPLIT", "description": "The delimiter's bytes arrive in different reads. Twisted's LineOnlyReceiver rejects a legal max-length line when its CR and LF arrive separately: it checks len(buffer) > MAX_LENGTH on the unterminated buffer, which already holds the CR. The outcome must not depend on the split.",
                       "links": ["twisted/protocols/basic.py LineOnlyReceiver.dataReceived"]},
    "Split": {"bugType": "SPLIT", "description": "Explicit chunking across reads."},
    "MultiByteDelimiter": {"bugType": "EDGE_CASE", "description": "Delimiters longer than two bytes, including ones whose prefix repeats inside them."},
    "EarlyTooLong": {"bugType": "EDGE_CASE", "description": "An unterminated buffer of max_length+1 bytes whose tail cannot begin the delimiter is already certainly too long. The reference waits for max_length + len(delimiter) bytes (Twisted's LineReceiver rule); a receiver that rejects earlier is also correct."},
    "Garbage": {"bugType": "MALFORMED", "description": "Lines before the too-long line are delivered; nothing after it is."},
    "Incomplete": {"bugType": "BASIC", "description": "The input stops inside a line: it is not delivered."},
    "Burst": {"bugType": "BASIC", "description": "Many lines in one read come out complete and in order."},
}


D = P("delimiter")
DL = "len(delimiter)"
LETTERS = b"abcdefghij"


def needs(longest: int, uses: bytes) -> list[str]:
    """What a line template needs, by construction: room for its longest line (or unterminated
    tail), and a delimiter sharing no byte with the bytes its lines are made of."""
    out = [f"max_length >= {longest}"] if longest else []
    return out + ([f'disjoint(delimiter, "{bytes(sorted(set(uses))).hex()}")'] if uses else [])


def fixed_needs(data: bytes, delimiter: bytes) -> list[str]:
    """For a vector with a fixed delimiter: room for its longest line or tail, as written."""
    longest = max(map(len, data.split(delimiter)))
    return [f"max_length >= {longest}"] if longest else []


def build() -> Family:
    f = Family("lines", [
        "Delimited-line golden vectors. params.delimiter is hex; max_length excludes the delimiter.",
        "A too-long line is rejected at offset line_start + max_length + len(delimiter) - 1.",
        "Most vectors are templates over any delimiter and max_length: their lines avoid the delimiter's bytes.",
    ], NOTES)
    for delim, m in ((b"\r\n", 16384), (b"\n", 16384), (b"\r\n", 10), (b"\n", 10), (b"\r\n", 0), (b"\x00", 5),
                     (b"\r\n\r\n", 20), (b"xxy", 8)):  # fmt: skip
        f.configuration("line", max_length=m, delimiter=delim.hex())
    g = f.group("line", {}, "Any delimiter and max_length: built from the parameters.")
    g.add("one", "One line.", TW, ["Basic"], T(b"hello", D), [b"hello"], ok(), requires=needs(5, b"hello"))
    g.add("three", "Three lines in one read.", TW, ["Basic"], T(b"a", D, b"bb", D, b"ccc", D), [b"a", b"bb", b"ccc"], ok(),
          requires=needs(3, b"abc"))
    g.add("binary", "High bytes and invalid UTF-8.", TW, ["Binary"], T(b"\xff\xc3(", D), [b"\xff\xc3("], ok(),
          requires=needs(3, b"\xff\xc3("))
    g.add("incomplete", "A line with no delimiter yet.", TW, ["Incomplete"], T(b"abc"), [], incomplete(), requires=needs(3, b"abc"))
    g.add("after-line-incomplete", "A line, then part of the next.", TW, ["Incomplete"], T(b"ab", D, b"cd"), [b"ab"],
          incomplete(), requires=needs(2, b"abcd"))
    g.add("garbage-after-lines", "Two lines, then one too long.", TW, ["Garbage", "TooLong"],
          T(b"ok", D, b"ok", D, rep(b"z", f"max_length + {DL} + 3")), [b"ok", b"ok"],
          close("line_too_long", f"2 * (2 + {DL}) + max_length + {DL} - 1"), requires=needs(2, b"okz"))
    g.add("empty-line", "A delimiter alone is an empty line.", TW, ["EmptyLine"], T(D), [b""], ok())
    g.add("empty-lines", "Three empty lines.", TW, ["EmptyLine"], T(D, D, D), [b"", b"", b""], ok())
    g.add("empty-input", "No bytes.", TW, ["Incomplete"], b"", [], ok())
    # Boundaries.
    g.add("below-max", "A line of max_length - 1 bytes.", TW, ["MaxLength"], T(rep(LETTERS, "max_length - 1"), D),
          [T(rep(LETTERS, "max_length - 1"))], ok(), requires=needs(1, LETTERS))
    g.add("at-max", "A line of exactly max_length bytes.", TW, ["MaxLength"], T(rep(LETTERS, "max_length"), D),
          [T(rep(LETTERS, "max_length"))], ok(), requires=needs(0, LETTERS))
    over = rep(b"ABCDEFGHIJ", "max_length + 1")
    g.add("over", "A line of max_length + 1 bytes with its delimiter: rejected.", TW, ["MaxLength", "TooLong"],
          T(over, D), [], close("line_too_long", f"max_length + {DL} - 1"), requires=needs(0, b"ABCDEFGHIJ"))
    g.add("over-unterminated-certain", "max_length + len(delimiter) bytes with no delimiter: certainly too long.", TW,
          ["TooLong"], T(rep(b"q", f"max_length + {DL}")), [], close("line_too_long", f"max_length + {DL} - 1"),
          requires=needs(0, b"q"))
    g.add("over-unterminated-long", "Far more than max_length with no delimiter.", TW, ["TooLong"],
          T(rep(b"q", f"max_length + {DL} + 50")), [], close("line_too_long", f"max_length + {DL} - 1"), requires=needs(0, b"q"))
    split = [f"{DL} >= 2"]
    g.add("max-plus-partial-delimiter", "A max-length line and all but the last delimiter byte: still pending.", TW,
          ["MaxLength", "Incomplete"], T(rep(b"m", "max_length"), P("delimiter", f"{DL} - 1")), [], incomplete(),
          requires=needs(0, b"m") + split)
    g.add("max-delimiter-split", "A max-length line whose delimiter's last byte arrives in a later read.", TWO,
          ["MaxLength", "DelimiterSplit"], T(rep(b"m", "max_length"), D), [T(rep(b"m", "max_length"))], ok(),
          requires=needs(0, b"m") + split, cuts=[f"max_length + {DL} - 1"])
    g.add("max-delimiter-split-then-line", "As above, with the read boundary after the delimiter's first byte, then another line.",
          TWO, ["MaxLength", "DelimiterSplit"], T(rep(b"m", "max_length"), D, rep(b"n", "min(max_length, 1)"), D),
          [T(rep(b"m", "max_length")), T(rep(b"n", "min(max_length, 1)"))], ok(), requires=needs(0, b"mn") + split,
          cuts=["max_length + 1"])
    g.add("delimiter-split-short", "A short line's delimiter split across reads.", TW, ["DelimiterSplit"],
          T(rep(b"hi", "min(max_length, 2)"), D), [T(rep(b"hi", "min(max_length, 2)"))], ok(), requires=needs(0, b"hi") + split,
          cuts=["min(max_length, 2) + 1"])
    g.add("max-plus-one-unterminated",
          "max_length + 1 bytes with no delimiter byte: already too long, but the count rule waits for "
          "max_length + len(delimiter) bytes, as Twisted's LineReceiver does. Rejecting now is also correct.",
          TW, ["EarlyTooLong"], T(rep(b"r", "max_length + 1")), [], incomplete(), result="acceptable",
          alternatives=[{"frames": [], "outcome": close("line_too_long", "max_length")}], requires=needs(0, b"r") + split)
    g.add("max-unterminated", "A max-length line without its delimiter is pending.", TW, ["MaxLength", "Incomplete"],
          T(rep(b"p", "max_length")), [], incomplete(), requires=needs(1, b"p"))
    burst = [rep(b"line%d" % i, f"min(max_length, {len(b'line%d' % i)})") for i in range(100)]
    g.add("burst", "100 numbered lines in one read (cut to max_length).", TW, ["Burst"],
          T(*(x for line in burst for x in (line, D))), [T(line) for line in burst], ok(), requires=needs(0, b"line0123456789"))
    g.add("over-split", "A too-long line arriving in two reads.", TW, ["TooLong", "Split"], T(over, D), [],
          close("line_too_long", f"max_length + {DL} - 1"), requires=needs(1, b"ABCDEFGHIJ"), cuts=["(max_length + 1) // 2"])

    line, at = T(rep(LETTERS, "max_length"), D), T(rep(LETTERS, "max_length"))
    end = f"max_length + {DL}"
    g.add("max-at-twice", "Two max-length lines in one read.", TW, ["MaxLength", "Burst"], line + line, [at, at], ok(),
          requires=needs(0, LETTERS))
    g.add("max-at-burst", "Twenty max-length lines in one read.", TW, ["MaxLength", "Burst"], line * 20, [at] * 20, ok(),
          requires=[*needs(0, LETTERS), "max_length <= 65536"])
    g.add("max-at-then-empty", "A max-length line, then an empty one.", TW, ["MaxLength", "EmptyLine"], line + T(D),
          [at, b""], ok(), requires=needs(0, LETTERS))
    g.add("max-at-then-partial", "A max-length line, then the start of another.", TW, ["MaxLength", "Incomplete"],
          line + T(rep(b"k", "min(max_length, 3)")), [at], incomplete(), requires=needs(1, LETTERS + b"k"))
    g.add("max-at-then-over", "A max-length line, then one too long: the first line, then the close.", TW,
          ["MaxLength", "Garbage", "TooLong"], line + T(rep(b"Z", f"{end} + 5")), [at],
          close("line_too_long", f"{end} + {end} - 1"), requires=needs(0, LETTERS + b"Z"))
    g.add("max-at-split-before-delimiter", "A max-length line, its delimiter in the next read.", TW, ["MaxLength", "Split"],
          line, [at], ok(), cuts=["max_length"], requires=needs(1, LETTERS))
    g.add("max-at-bytewise-delimiter", "A max-length line whose delimiter's bytes each arrive in a read of their own.", TWO,
          ["MaxLength", "DelimiterSplit"], line, [at], ok(), cuts=["max_length", "max_length + 1"],
          requires=needs(1, LETTERS) + split)
    g.add("over-then-valid", "A too-long line, then a valid one: nothing after the too-long line.", TW, ["TooLong", "Garbage"],
          T(rep(b"Q", f"{end} + 2"), D, b"ok", D), [], close("line_too_long", f"{end} - 1"), requires=needs(0, b"Qok"))
    g.add("empty-lines-burst", "A hundred empty lines in one read.", TW, ["EmptyLine", "Burst"], T(*[D] * 100), [b""] * 100, ok())
    g.add("empty-line-then-over", "An empty line, then one too long.", TW, ["EmptyLine", "TooLong"],
          T(D, rep(b"w", f"{end} + 1")), [b""], close("line_too_long", f"{DL} + {end} - 1"), requires=needs(0, b"w"))
    g.add("delimiter-own-read", "A line, its delimiter alone in the next read.", TW, ["Split"], T(b"abc", D), [b"abc"], ok(),
          cuts=["3"], requires=needs(3, b"abc"))
    g.add("lines-byte-reads", "Two lines, the first arriving a byte per read.", TW, ["Split"], T(b"abc", D, b"de", D),
          [b"abc", b"de"], ok(), cuts=["1", "2", "3", f"3 + {DL}"], requires=needs(3, b"abcde"))
    g.add("control-bytes-are-data", "CR, NUL and DEL inside a line are data when they are not the delimiter.", TW, ["Binary"],
          T(b"a\rb\x00c\x7f", D), [b"a\rb\x00c\x7f"], ok(), requires=needs(6, b"a\rb\x00c\x7f"))
    g.add("crlf-lookalike-is-data", "A CR LF pair inside a line is data when neither is the delimiter.", TW, ["Binary"],
          T(b"a\r\nb", D), [b"a\r\nb"], ok(), requires=needs(4, b"a\r\nb"))
    g.add("utf8-multibyte", "A line of multi-byte UTF-8 characters.", TW, ["Binary"], T("h\u00e9llo \u4e16".encode(), D),
          ["h\u00e9llo \u4e16".encode()], ok(), requires=needs(len("h\u00e9llo \u4e16".encode()), "h\u00e9llo \u4e16".encode()))
    g.add("max-minus-one-unterminated", "max_length - 1 bytes and no delimiter: pending.", TW, ["Incomplete"],
          T(rep(b"p", "max_length - 1")), [], incomplete(), requires=needs(2, b"p"))
    g.add("empty-line-delimiter-split", "An empty line whose delimiter is split between reads.", TW, ["EmptyLine", "DelimiterSplit"],
          T(D), [b""], ok(), cuts=["1"], requires=split)
    g.add("empty-lines-split-between", "Two empty lines, the read boundary between them.", TW, ["EmptyLine", "Split"],
          T(D, D), [b"", b""], ok(), cuts=[DL])
    g.add("over-split-first-byte", "A too-long line whose first byte arrives alone.", TW, ["TooLong", "Split"],
          T(rep(b"V", f"{end} + 1")), [], close("line_too_long", f"{end} - 1"), cuts=["1"], requires=needs(0, b"V"))
    g.add("over-delimiter-split", "A line one byte too long whose delimiter arrives in the next read: closed before it.", TW,
          ["TooLong", "Split"], T(rep(b"Y", "max_length + 1"), D), [], close("line_too_long", f"{end} - 1"),
          cuts=["max_length + 1"], requires=needs(0, b"Y"))
    g.add("over-after-empty-lines", "Two empty lines, then one too long.", TW, ["EmptyLine", "TooLong"],
          T(D, D, rep(b"U", end)), [b"", b""], close("line_too_long", f"2 * {DL} + {end} - 1"), requires=needs(0, b"U"))
    g.add("line-after-empty", "An empty line, then a short one.", TW, ["EmptyLine"], T(D, b"ab", D), [b"", b"ab"], ok(),
          requires=needs(2, b"ab"))

    # LF: a CR is data, so CRLF-terminated lines keep their CR.
    lf = f.group("line", {"delimiter": "0a"}, "LF, any max_length.")
    for slug, description, flags, data, frames, chunks in [
        ("cr-before-lf-is-data", "'ab' CR LF with an LF delimiter: the line is 'ab' CR.", ["BareCrLf"], b"ab\r\n", [b"ab\r"], None),
        ("crlf-lines-keep-cr", "Two CRLF-ended lines read with an LF delimiter keep their CRs.", ["BareCrLf"],
         b"a\r\nb\r\n", [b"a\r", b"b\r"], None),
        ("bare-cr-is-data", "A CR alone inside a line is data.", ["BareCrLf"], b"a\rb\n", [b"a\rb"], None),
        ("cr-alone-is-a-line", "CR LF alone is a one-byte line (the CR).", ["BareCrLf"], b"\r\n", [b"\r"], None),
        ("cr-then-lf-in-next-read", "'ab' CR, then LF in the next read: one line 'ab' CR.", ["BareCrLf", "Split"],
         b"ab\r\n", [b"ab\r"], [b"ab\r", b"\n"]),
        ("cr-separated-is-one-line", "CRs between words do not end lines: one line.", ["BareCrLf"], b"a\rb\rc\n",
         [b"a\rb\rc"], None),
        ("cr-line-then-empty", "CR LF then LF: a line holding a CR, then an empty line.", ["BareCrLf", "EmptyLine"],
         b"\r\n\n", [b"\r", b""], None),
        ("lines-byte-reads", "Two lines arriving a byte per read.", ["Split"], b"ab\ncd\n", [b"ab", b"cd"],
         [bytes([c]) for c in b"ab\ncd\n"]),
    ]:  # fmt: skip
        lf.add(f"lf-{slug}", description, TW, flags, data, frames, ok(), chunks=chunks, requires=fixed_needs(data, b"\n"))
    nul = f.group("line", {"delimiter": "00"}, "NUL, any max_length.")
    for slug, description, flags, data, frames in [
        ("crlf-is-data", "CR LF inside a NUL-delimited record is data.", ["BareCrLf"], b"a\r\nb\x00", [b"a\r\nb"]),
        ("lf-lines-in-one-record", "Several LF-ended lines make one NUL-delimited record.", ["BareCrLf"],
         b"x\ny\nz\n\x00", [b"x\ny\nz\n"]),
        ("high-bytes", "High bytes in a NUL-delimited record.", ["Binary"], b"\xff\xfe\x80\x00", [b"\xff\xfe\x80"]),
        ("every-other-byte", "Every byte value but NUL in one record.", ["Binary"], bytes(range(1, 256)) + b"\x00",
         [bytes(range(1, 256))]),
        ("empty-records", "NUL NUL NUL: three empty records.", ["EmptyLine"], b"\x00\x00\x00", [b"", b"", b""]),
        ("text-records", "Two text records, each with spaces and a newline inside.", ["BareCrLf"], b"a b\n\x00c d\n\x00",
         [b"a b\n", b"c d\n"]),
        ("cr-only-record", "A record of one CR.", ["BareCrLf"], b"\r\x00", [b"\r"]),
        ("utf16-record", "A UTF-16 record would hold NULs: this one, ASCII-only in UTF-8, does not.", ["Binary"],
         "h\u00e9".encode() + b"\x00", ["h\u00e9".encode()]),
        ("record-after-empty", "An empty record, then one with a tab.", ["EmptyLine"], b"\x00a\tb\x00", [b"", b"a\tb"]),
    ]:  # fmt: skip
        nul.add(f"nul-{slug}", description, TW, flags, data, frames, ok(), requires=fixed_needs(data, b"\x00"))

    # CRLF-specific: bare CR and LF are data.
    crlf = f.group("line", {"delimiter": "0d0a"}, "CRLF, any max_length.")
    for slug, description, flags, data, frames, outcome, chunks in [
        ("bare-cr", "A CR alone is data.", ["BareCrLf"], b"a\rb\r\n", [b"a\rb"], ok(), None),
        ("bare-lf", "An LF alone is data.", ["BareCrLf"], b"a\nb\r\n", [b"a\nb"], ok(), None),
        ("lf-cr-order", "LF CR is not a delimiter.", ["BareCrLf"], b"a\n\rb\r\n", [b"a\n\rb"], ok(), None),
        ("cr-before-crlf", "CR CR LF: the line ends in CR.", ["BareCrLf"], b"ab\r\r\n", [b"ab\r"], ok(), None),
        ("lf-before-crlf", "LF CR LF: the line ends in LF.", ["BareCrLf"], b"ab\n\r\n", [b"ab\n"], ok(), None),
        ("trailing-cr", "A line and a CR: pending.", ["BareCrLf", "Incomplete"], b"ab\r", [], incomplete(), None),
        ("cr-split-lf", "CR ends one read, LF starts the next.", ["DelimiterSplit"], b"ab\r\ncd\r\n", [b"ab", b"cd"], ok(),
         [b"ab\r", b"\ncd\r\n"]),
        ("crlf-byte-reads", "A line arriving a byte per read.", ["Split"], b"abc\r\n", [b"abc"], ok(),
         [bytes([c]) for c in b"abc\r\n"]),
    ]:  # fmt: skip
        crlf.add(f"crlf-{slug}", description, TW, flags, data, frames, outcome, chunks=chunks,
                 requires=fixed_needs(data, b"\r\n"))
    crlf.add("crlf-cr-counts-toward-length", "max_length bytes, then a bare CR and more data: the line is longer than the maximum.",
             TW, ["BareCrLf", "TooLong"], T(rep(b"x", "max_length"), b"\rz\r\n"), [], close("line_too_long", "max_length + 1"))
    crlf.add("crlf-max-minus-one-plus-cr", "max_length - 1 bytes and a bare CR in the line: max_length bytes, legal.", TW,
             ["BareCrLf", "MaxLength"], T(rep(b"x", "max_length - 1"), b"\r\r\n"), [T(rep(b"x", "max_length - 1"), b"\r")],
             ok(), requires=["max_length >= 1"])
    xxy = f.group("line", {"delimiter": b"xxy".hex()}, "Delimiter 'xxy', any max_length.")
    for slug, description, flags, data, frames, chunks in [
        ("overlap", "'xxxy': the delimiter starts at the second x.", ["MultiByteDelimiter"], b"xxxy", [b"x"], None),
        ("overlap-split", "'xx' then 'xy': the delimiter spans the reads.", ["MultiByteDelimiter", "DelimiterSplit"],
         b"xxxy", [b"x"], [b"xx", b"xy"]),
        ("near-miss", "'xxyxxxy' is two lines: '' and 'x'.", ["MultiByteDelimiter"], b"xxyxxxy", [b"", b"x"], None),
    ]:  # fmt: skip
        xxy.add(f"xxy-{slug}", description, TW, flags, data, frames, ok(), chunks=chunks, requires=fixed_needs(data, b"xxy"))
    xxy.add("xxy-partial", "'axx' waits for 'y'.", TW, ["MultiByteDelimiter", "Incomplete"], b"axx", [], incomplete(),
            requires=["max_length >= 3"])
    quad = f.group("line", {"delimiter": b"\r\n\r\n".hex()}, "Delimiter CRLFCRLF, any max_length.")
    quad.add("crlfcrlf-single-crlf-is-data", "One CRLF inside a CRLFCRLF-delimited record is data.", TW, ["MultiByteDelimiter"],
             b"a\r\nb\r\n\r\n", [b"a\r\nb"], ok(), requires=["max_length >= 4"])
    quad.add("crlfcrlf-odd-cr", "CR CRLF CRLF: the record ends in CR.", TW, ["MultiByteDelimiter"], b"a\r\r\n\r\n", [b"a\r"], ok(),
             requires=["max_length >= 2"])
    return f
