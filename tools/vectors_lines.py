"""Golden vectors for delimited lines (Twisted's LineReceiver / LineOnlyReceiver)."""

from __future__ import annotations

from vectorlib import Family, close, incomplete, ok

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


def build() -> Family:
    f = Family("lines", [
        "Delimited-line golden vectors. params.delimiter is hex; max_length excludes the delimiter.",
        "A too-long line is rejected at offset line_start + max_length + len(delimiter) - 1.",
    ], NOTES)
    configs = [
        (b"\r\n", 16384, "crlf"), (b"\n", 16384, "lf"), (b"\r\n", 10, "crlf"), (b"\n", 10, "lf"),
        (b"\r\n", 0, "crlf"), (b"\x00", 5, "nul"), (b"\r\n\r\n", 20, "crlfcrlf"), (b"xxy", 8, "xxy"),
    ]
    for delim, m, name in configs:
        g = f.group("line", {"delimiter": delim.hex(), "max_length": m}, f"delimiter {delim!r}, max_length {m}.")
        t = f"{name}-max{m}"
        d = delim
        dl = len(d)
        if m >= 5:
            g.add(f"{t}-one", "One line.", TW, ["Basic"], b"hello" + d, [b"hello"], ok())
            g.add(f"{t}-three", "Three lines in one read.", TW, ["Basic"], b"a" + d + b"bb" + d + b"ccc" + d, [b"a", b"bb", b"ccc"], ok())
            g.add(f"{t}-binary", "High bytes and invalid UTF-8.", TW, ["Binary"], b"\xff\xc3(" + d, [b"\xff\xc3("], ok())
            g.add(f"{t}-incomplete", "A line with no delimiter yet.", TW, ["Incomplete"], b"abc", [], incomplete())
            g.add(f"{t}-after-line-incomplete", "A line, then part of the next.", TW, ["Incomplete"], b"ab" + d + b"cd", [b"ab"], incomplete())
            g.add(f"{t}-garbage-after-lines", "Two lines, then one too long.", TW, ["Garbage", "TooLong"],
                  b"ok" + d + b"ok" + d + b"z" * (m + dl + 3), [b"ok", b"ok"], close("line_too_long", 2 * (2 + dl) + m + dl - 1))
        g.add(f"{t}-empty-line", "A delimiter alone is an empty line.", TW, ["EmptyLine"], d, [b""], ok())
        g.add(f"{t}-empty-lines", "Three empty lines.", TW, ["EmptyLine"], d * 3, [b"", b"", b""], ok())
        g.add(f"{t}-empty-input", "No bytes.", TW, ["Incomplete"], b"", [], ok())
        # Boundaries.
        for size in (m - 1, m):
            if size < 0:
                continue
            line = (b"abcdefghij" * (size // 10 + 1))[:size]
            label = "at-max" if size == m else "below-max"
            g.add(f"{t}-{label}", f"A {size}-byte line with max_length {m}.", TW, ["MaxLength"], line + d, [line], ok())
        over = (b"ABCDEFGHIJ" * (m // 10 + 2))[: m + 1]
        g.add(f"{t}-over", f"A {m + 1}-byte line with its delimiter: rejected.", TW, ["MaxLength", "TooLong"],
              over + d, [], close("line_too_long", m + dl - 1))
        g.add(f"{t}-over-unterminated-certain", f"{m + dl} bytes with no delimiter: certainly too long.", TW, ["TooLong"],
              b"q" * (m + dl), [], close("line_too_long", m + dl - 1))
        g.add(f"{t}-over-unterminated-long", "Far more than max_length with no delimiter.", TW, ["TooLong"],
              b"q" * (m + dl + 50), [], close("line_too_long", m + dl - 1))
        if dl > 1:
            g.add(f"{t}-max-plus-partial-delimiter", "A max-length line and all but the last delimiter byte: still pending.",
                  TW, ["MaxLength", "Incomplete"], b"m" * m + d[:-1], [], incomplete())
            g.add(f"{t}-max-delimiter-split", "A max-length line whose delimiter's last byte arrives in a later read.",
                  TWO, ["MaxLength", "DelimiterSplit"], b"m" * m + d, [b"m" * m], ok(), chunks=[b"m" * m + d[:-1], d[-1:]])
            nxt = b"n"[:m]
            g.add(f"{t}-max-delimiter-split-then-line", "As above, then another line.", TWO, ["MaxLength", "DelimiterSplit"],
                  b"m" * m + d + nxt + d, [b"m" * m, nxt], ok(), chunks=[b"m" * m + d[:1], d[1:] + nxt + d])
            short = b"hi"[:m]
            g.add(f"{t}-delimiter-split-short", "A short line's delimiter split across reads.", TW, ["DelimiterSplit"],
                  short + d, [short], ok(), chunks=[short + d[:1], d[1:]])
            g.add(f"{t}-max-plus-one-unterminated",
                  f"{m + 1} bytes with no delimiter byte: already too long, but the count rule waits for "
                  f"{m + dl} bytes, as Twisted's LineReceiver does. Rejecting now is also correct.",
                  TW, ["EarlyTooLong"], b"r" * (m + 1), [], incomplete(), result="acceptable",
                  alternatives=[{"frames": [], "outcome": close("line_too_long", m)}])
        if m:
            g.add(f"{t}-max-unterminated", "A max-length line without its delimiter is pending.", TW, ["MaxLength", "Incomplete"],
                  b"p" * m, [], incomplete())
        burst = [(b"line%d" % i)[: m] for i in range(100)]
        g.add(f"{t}-burst", "100 lines in one read.", TW, ["Burst"], b"".join(x + d for x in burst), burst, ok())
        g.add(f"{t}-over-split", "A too-long line arriving in two reads.", TW, ["TooLong", "Split"],
              over + d, [], close("line_too_long", m + dl - 1), chunks=[over[: (m + 1) // 2], over[(m + 1) // 2:] + d])
    # CRLF-specific: bare CR and LF are data.
    for m in (16384, 10):
        grp = f.find(delimiter="0d0a", max_length=m)
        t = f"crlf-max{m}"
        grp.add(f"{t}-bare-cr", "A CR alone is data.", TW, ["BareCrLf"], b"a\rb\r\n", [b"a\rb"], ok())
        grp.add(f"{t}-bare-lf", "An LF alone is data.", TW, ["BareCrLf"], b"a\nb\r\n", [b"a\nb"], ok())
        grp.add(f"{t}-lf-cr-order", "LF CR is not a delimiter.", TW, ["BareCrLf"], b"a\n\rb\r\n", [b"a\n\rb"], ok())
        grp.add(f"{t}-cr-before-crlf", "CR CR LF: the line ends in CR.", TW, ["BareCrLf"], b"ab\r\r\n", [b"ab\r"], ok())
        grp.add(f"{t}-lf-before-crlf", "LF CR LF: the line ends in LF.", TW, ["BareCrLf"], b"ab\n\r\n", [b"ab\n"], ok())
        grp.add(f"{t}-trailing-cr", "A line and a CR: pending.", TW, ["BareCrLf", "Incomplete"], b"ab\r", [], incomplete())
        grp.add(f"{t}-cr-split-lf", "CR ends one read, LF starts the next.", TW, ["DelimiterSplit"], b"ab\r\ncd\r\n",
                [b"ab", b"cd"], ok(), chunks=[b"ab\r", b"\ncd\r\n"])
        grp.add(f"{t}-crlf-byte-reads", "A line arriving a byte per read.", TW, ["Split"], b"abc\r\n", [b"abc"], ok(),
                chunks=[bytes([c]) for c in b"abc\r\n"])
    grp = f.find(delimiter="0d0a", max_length=10)
    grp.add("crlf-max10-cr-counts-toward-length", "Ten bytes then a bare CR and more data: the line is eleven bytes and more.",
            TW, ["BareCrLf", "TooLong"], b"x" * 10 + b"\rz\r\n", [], close("line_too_long", 11))
    grp.add("crlf-max10-nine-plus-cr", "Nine bytes and a bare CR in the line: ten bytes, legal.", TW, ["BareCrLf", "MaxLength"],
            b"x" * 9 + b"\r\r\n", [b"x" * 9 + b"\r"], ok())
    grp = f.find(delimiter=b"xxy".hex())
    grp.add("xxy-overlap", "'xxxy': the delimiter starts at the second x.", TW, ["MultiByteDelimiter"], b"xxxy", [b"x"], ok())
    grp.add("xxy-overlap-split", "'xx' then 'xy': the delimiter spans the reads.", TW, ["MultiByteDelimiter", "DelimiterSplit"],
            b"xxxy", [b"x"], ok(), chunks=[b"xx", b"xy"])
    grp.add("xxy-near-miss", "'xxyxxxy' is two lines: '' and 'x'.", TW, ["MultiByteDelimiter"], b"xxyxxxy", [b"", b"x"], ok())
    grp.add("xxy-partial", "'axx' waits for 'y'.", TW, ["MultiByteDelimiter", "Incomplete"], b"axx", [], incomplete())
    grp = f.find(delimiter=b"\r\n\r\n".hex())
    grp.add("crlfcrlf-single-crlf-is-data", "One CRLF inside a CRLFCRLF-delimited record is data.", TW, ["MultiByteDelimiter"],
            b"a\r\nb\r\n\r\n", [b"a\r\nb"], ok())
    grp.add("crlfcrlf-odd-cr", "CR CRLF CRLF: the record ends in CR.", TW, ["MultiByteDelimiter"], b"a\r\r\n\r\n", [b"a\r"], ok())
    return f
