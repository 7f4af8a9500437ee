"""Golden vectors for Banana (twisted.spread.banana), both dialects and the handshake."""

from __future__ import annotations

import struct

from vectorlib import Family, close, incomplete, ok
from wirecheck.protocols.values import to_json

SPEC = "Banana spec (Twisted docs 2008) 9.2.3"
PROFILES = "Banana spec 9.2.4"
HANDSHAKE = "Banana spec 9.2.5"
TW = "twisted.spread.banana.Banana.dataReceived"

NOTES = {
    "Spec": {"bugType": "BASIC", "description": "An example from the specification's list of element encodings."},
    "Integer": {"bugType": "EDGE_CASE", "description": "Integers at encoding boundaries: INT holds 0..2**31-1, NEG -2**31..0, LONGINT/LONGNEG beyond, up to the 64-byte prefix limit."},
    "Float": {"bugType": "EDGE_CASE", "description": "FLOAT is 8 bytes of IEEE 754 double, big-endian, with no prefix: zeros, infinities, NaN, subnormals."},
    "String": {"bugType": "BASIC", "description": "STRING payloads are bytes, including high bytes and bytes that look like type bytes."},
    "List": {"bugType": "BASIC", "description": "Lists nest; a child list counts as one element of its parent."},
    "DeepNesting": {"bugType": "RESOURCE_LIMIT", "description": "Deeply nested lists must decode without a recursion limit."},
    "Incomplete": {"bugType": "BASIC", "description": "The input stops inside an element: nothing of that expression is delivered."},
    "UnknownType": {"bugType": "MALFORMED", "description": "Type bytes above 0x87 are not defined: the connection is closed."},
    "PrefixLimit": {"bugType": "RESOURCE_LIMIT", "description": "At most 64 bytes of prefix (Twisted's setPrefixLimit(64)); the 65th prefix byte closes the connection."},
    "SizeLimit": {"bugType": "RESOURCE_LIMIT", "description": "STRING lengths and LIST counts above 640 KiB (655360) close the connection at the type byte, before any payload."},
    "Garbage": {"bugType": "MALFORMED", "description": "Complete expressions before the invalid byte are delivered; nothing after it is."},
    "EmptyPrefix": {"bugType": "LENIENCY", "description": "An element with no prefix digits. Twisted reads it as 0; the specification's encodings always carry at least one digit. Acceptable either way; strict mode rejects."},
    "NonMinimalPrefix": {"bugType": "LENIENCY", "description": "A prefix whose most significant digit is 0 (e.g. 05 00). Twisted accepts it; strict mode rejects."},
    "IntRange": {"bugType": "LENIENCY", "description": "The specification limits INT to 0..2**31-1 and NEG to -2**31..0; Twisted decodes any magnitude. Strict mode rejects."},
    "FloatPrefix": {"bugType": "LENIENCY", "description": "The specification says FLOAT has no length bytes; Twisted ignores any. Strict mode rejects."},
    "Vocab": {"bugType": "BASIC", "description": "The pb dialect's 31-word vocabulary: id as the prefix, then 0x87."},
    "VocabDialect": {"bugType": "MISSING_CHECK", "description": "VOCAB is only defined in the pb dialect; elsewhere (and before the handshake) it closes the connection."},
    "SpecVocabOrder": {"bugType": "SPEC_DIVERGENCE", "description": "The 2008 specification says 0x87 is followed by a one-byte id; Twisted (and so every deployed peer) sends the id as the prefix before 0x87. wirecheck follows Twisted; the specification's order reads as VOCAB id 0, which is unknown."},
    "UnknownVocab": {"bugType": "MALFORMED", "description": "A VOCAB id with no word (0, or above 31). Twisted fails with a KeyError, which closes the connection."},
    "Handshake": {"bugType": "BASIC", "description": "The server offers a list of dialect names; the client answers with the first one it knows, as a STRING; the rest of the session uses it."},
    "HandshakeFailure": {"bugType": "MALFORMED", "description": "Failed handshakes close the connection (spec 9.2.5): an unknown choice, an offer that is not a list, no common dialect."},
    "OfferLeniency": {"bugType": "LENIENCY", "description": "An offer holding non-strings: Twisted skips them; the specification says the offer is a list of strings. Strict mode rejects."},
    "Split": {"bugType": "SPLIT", "description": "Explicit chunking across reads."},
}

LIST, INT, STRING, NEG, FLOAT, LONGINT, LONGNEG, VOCAB = range(0x80, 0x88)
WORDS = (b"None class dereference reference dictionary function instance list module persistent tuple "
         b"unpersistable copy cache cached remote local lcache version login password challenge logged_in "
         b"not_logged_in cachemessage message answer error decref decache uncache").split()


def b128(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append(n & 0x7F)
        n >>= 7
        if not n:
            return bytes(out)


def el(n: int, t: int) -> bytes:
    return b128(n) + bytes([t])


def s(data: bytes) -> bytes:
    return el(len(data), STRING) + data


def fl(x: float) -> bytes:
    return bytes([FLOAT]) + struct.pack("!d", x)


def J(*values):
    return [to_json(v) for v in values]


def build() -> Family:
    f = Family("banana", [
        "Banana golden vectors. Frames are top-level expressions as typed JSON: {\"int\": \"decimal\"}, "
        "{\"bytes\": \"hex\"}, {\"float\": \"C99 hex-float | nan | inf | -inf\"}, lists as arrays.",
        "params.role: 'peer' (dialect already agreed), 'server' (input is what the client sends after our offer), "
        "'client' (input is what the server sends; 'reply' is what the client must answer).",
        "Offsets are 0-based indexes of the byte whose arrival makes the stream invalid.",
    ], NOTES)
    A = f.group("banana", {"role": "peer", "dialect": "none", "strict": False}, "Lenient, as Twisted.")
    C = f.group("banana", {"role": "peer", "dialect": "none", "strict": True}, "Strict: the specification's encodings only.")
    B = f.group("banana", {"role": "peer", "dialect": "pb", "strict": False}, "The pb dialect, lenient.")
    D = f.group("banana", {"role": "peer", "dialect": "pb", "strict": True}, "The pb dialect, strict.")

    spec = [
        ("one", 1, "0181"), ("minus-one", -1, "0183"), ("float-1.5", 1.5, "843ff8000000000000"),
        ("hello", b"hello", "058268656c6c6f"), ("empty-list", [], "0080"), ("list-1-23", [1, 23], "028001811781"),
        ("large", 123456789123456789, "153e41663a69265b0185"),
        ("nested", [1, [b"hello"]], "028001810180058268656c6c6f"),
    ]
    for slug, value, hexa in spec:
        for g, tag in ((A, ""), (C, "strict-")):
            g.add(f"{tag}spec-{slug}", f"Specification example: {value!r}.", SPEC, ["Spec"], bytes.fromhex(hexa), J(value), ok())
    A.add("spec-length-4674", "The specification's prefix example: 4674 is 0x42 0x24 (as a STRING length, pending).", "Banana spec 9.2.2",
          ["Spec", "Incomplete"], bytes.fromhex("4224") + bytes([STRING]) + b"x" * 10, [], incomplete())

    ints = [0, 1, 127, 128, 16383, 16384, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**63, -(2**63), 2**448 - 1, -(2**448 - 1)]
    for v in ints:
        if 0 <= v <= 2**31 - 1:
            t = INT
        elif -2**31 <= v < 0:
            t = NEG
        else:
            t = LONGINT if v > 0 else LONGNEG
        data = el(abs(v), t)
        name = {2**448 - 1: "2p448m1", -(2**448 - 1): "neg-2p448m1", 2**63: "2p63", -(2**63): "neg-2p63",
                2**31: "2p31", -2**31 - 1: "neg-2p31m1", 2**31 - 1: "2p31m1", -2**31: "neg-2p31"}.get(v, str(v))
        for g, tag in ((A, ""), (C, "strict-")):
            g.add(f"{tag}int-{name}", f"{v} encodes as {data[:8].hex()}{'...' if len(data) > 8 else ''}: type 0x{t:02x}.",
                  SPEC, ["Integer"], data, J(v), ok())
    A.add("int-neg-zero", "NEG with value 0: the specification allows 0 >= -N.", SPEC, ["Integer"], el(0, NEG), J(0), ok())
    C.add("strict-int-neg-zero", "NEG with value 0 is within the specification.", SPEC, ["Integer"], el(0, NEG), J(0), ok())
    A.add("int-longint-small", "LONGINT may carry a small value; the specification sets no lower bound.", SPEC, ["Integer"], el(5, LONGINT), J(5), ok())
    C.add("strict-int-longint-small", "LONGINT carrying 5 is within the specification.", SPEC, ["Integer"], el(5, LONGINT), J(5), ok())
    A.add("int-longneg-small", "LONGNEG carrying -5.", SPEC, ["Integer"], el(5, LONGNEG), J(-5), ok())

    floats = {"zero": 0.0, "neg-zero": -0.0, "inf": float("inf"), "neg-inf": float("-inf"), "nan": float("nan"),
              "min-subnormal": 5e-324, "max": 1.7976931348623157e308, "pi": 3.141592653589793, "neg": -2.5}
    for name, x in floats.items():
        A.add(f"float-{name}", f"FLOAT {x!r}.", SPEC, ["Float"], fl(x), J(x), ok())
    C.add("strict-float-nan", "FLOAT NaN.", SPEC, ["Float"], fl(float("nan")), J(float("nan")), ok())

    strings = {"empty": b"", "nul": b"\x00", "invalid-utf8": b"\xc3\x28\xff", "type-bytes": bytes(range(0x80, 0x88)),
               "128-bytes": bytes(range(128)), "all-bytes": bytes(range(256))}
    for name, data in strings.items():
        A.add(f"string-{name}", f"STRING {name.replace('-', ' ')}.", SPEC, ["String"], s(data), J(data), ok())
    A.add("list-mixed", "A list of every element type.", SPEC, ["List"],
          el(6, LIST) + el(1, INT) + el(1, NEG) + fl(1.5) + s(b"x") + el(0, LIST) + el(2**40, LONGINT),
          J([1, -1, 1.5, b"x", [], 2**40]), ok())
    A.add("list-of-lists", "[[], [[]], [[], []]].", SPEC, ["List"],
          el(3, LIST) + el(0, LIST) + el(1, LIST) + el(0, LIST) + el(2, LIST) + el(0, LIST) + el(0, LIST),
          J([[], [[]], [[], []]]), ok())
    A.add("three-expressions", "Three top-level expressions in one read.", SPEC, ["List"],
          el(1, INT) + s(b"two") + el(1, LIST) + el(3, INT), J(1, b"two", [3]), ok())
    deep = 100
    value: list = []
    for _ in range(deep - 1):
        value = [value]
    A.add("nesting-100", "A list nested 100 deep.", SPEC, ["List", "DeepNesting"], el(1, LIST) * (deep - 1) + el(0, LIST), J(value), ok())
    A.add("nesting-20000-pending", "Lists nested 20000 deep, innermost still open: pending, no recursion error.", SPEC,
          ["DeepNesting", "Incomplete"], el(1, LIST) * 20000, [], incomplete())
    A.add("nesting-20000-then-error", "20000 open lists, then an unknown type byte.", SPEC, ["DeepNesting", "UnknownType"],
          el(1, LIST) * 20000 + b"\xff", [], close("unknown_type", 40000))
    A.add("big-list-count-pending", "A list of 1000 elements with only 3 sent.", SPEC, ["List", "Incomplete"],
          el(1000, LIST) + el(1, INT) * 3, [], incomplete())

    for name, data in {"prefix": b"\x05", "string-body": s(b"hello")[:-2], "float-body": fl(1.5)[:4],
                       "list": el(2, LIST) + el(1, INT), "nested-list": el(1, LIST) + el(1, LIST),
                       "after-expression": el(7, INT) + b"\x05"}.items():
        frames = J(7) if name == "after-expression" else []
        A.add(f"incomplete-{name}", f"Input stops inside {name.replace('-', ' ')}.", SPEC, ["Incomplete"], data, frames, incomplete())

    for t in (0x88, 0x90, 0xC0, 0xFF):
        A.add(f"unknown-type-{t:02x}", f"Type byte 0x{t:02x} is not defined.", TW, ["UnknownType"], el(1, t), [], close("unknown_type", 1))
        C.add(f"strict-unknown-type-{t:02x}", f"Type byte 0x{t:02x} is not defined.", TW, ["UnknownType"], el(1, t), [], close("unknown_type", 1))
    A.add("unknown-type-bare", "A lone 0xff.", TW, ["UnknownType"], b"\xff", [], close("unknown_type", 0))
    A.add("garbage-after-expression", "An int, then 0xff.", TW, ["Garbage", "UnknownType"], el(1, INT) + b"\xff", J(1), close("unknown_type", 2))
    A.add("error-inside-list", "An unknown type inside a list: the list is never delivered.", TW, ["Garbage", "UnknownType"],
          el(2, LIST) + el(1, INT) + b"\xff" + el(2, INT), [], close("unknown_type", 4))
    A.add("garbage-then-valid", "Nothing after the invalid byte is delivered.", TW, ["Garbage"],
          s(b"a") + b"\x01\x99" + s(b"b"), J(b"a"), close("unknown_type", 4))

    # Prefix limit: 64 bytes allowed, the 65th rejected.
    A.add("prefix-64-longint", "64 prefix bytes: the largest LONGINT.", TW, ["PrefixLimit", "Integer"], b"\x7f" * 64 + bytes([LONGINT]),
          J(2**448 - 1), ok())
    A.add("prefix-65", "65 prefix bytes: rejected at the 65th.", TW, ["PrefixLimit"], b"\x01" * 65, [], close("prefix_too_long", 64))
    A.add("prefix-65-with-type", "65 prefix bytes and a type byte.", TW, ["PrefixLimit"], b"\x01" * 65 + bytes([INT]), [], close("prefix_too_long", 64))
    A.add("prefix-1000", "1000 prefix bytes: rejected at the 65th.", TW, ["PrefixLimit"], b"\x00" * 1000, [], close("prefix_too_long", 64))
    A.add("prefix-64-pending", "64 prefix bytes, no type byte yet: pending.", TW, ["PrefixLimit", "Incomplete"], b"\x01" * 64, [], incomplete())
    A.add("prefix-65-after-expression", "An expression, then 65 prefix bytes.", TW, ["PrefixLimit", "Garbage"],
          el(3, INT) + b"\x01" * 65, J(3), close("prefix_too_long", 66))
    C.add("strict-prefix-65", "65 prefix bytes.", TW, ["PrefixLimit"], b"\x01" * 65, [], close("prefix_too_long", 64))

    size = 640 * 1024
    for g, tag in ((A, ""), (C, "strict-")):
        g.add(f"{tag}string-over-size-limit", "A STRING of 655361 bytes: rejected at the type byte.", TW, ["SizeLimit"],
              el(size + 1, STRING) + b"abc", [], close("string_too_long", len(b128(size + 1))))
        g.add(f"{tag}list-over-size-limit", "A LIST of 655361 elements: rejected at the type byte.", TW, ["SizeLimit"],
              el(size + 1, LIST), [], close("list_too_long", len(b128(size + 1))))
    A.add("string-at-size-limit-pending", "A STRING of exactly 655360 bytes is allowed: pending after 3.", TW, ["SizeLimit", "Incomplete"],
          el(size, STRING) + b"abc", [], incomplete())
    A.add("list-at-size-limit-pending", "A LIST of exactly 655360 elements is allowed: pending after 2.", TW, ["SizeLimit", "Incomplete"],
          el(size, LIST) + el(1, INT) * 2, [], incomplete())
    A.add("string-declared-10gb", "A STRING declaring 10 GB, then a drip: rejected at the type byte.", TW, ["SizeLimit"],
          el(10 * 10**9, STRING) + b"d", [], close("string_too_long", len(b128(10 * 10**9))))

    A.add("vocab-in-none", "VOCAB is not part of the none dialect.", PROFILES, ["VocabDialect"], el(1, VOCAB), [], close("vocab_not_allowed", 1))
    A.add("vocab-spec-order-in-none", "The specification's 87 01 order in the none dialect.", PROFILES, ["VocabDialect", "SpecVocabOrder"],
          bytes([VOCAB, 1]), [], close("vocab_not_allowed", 0))

    # Leniency: Twisted accepts, strict rejects.
    lenient = [
        ("empty-prefix-int", "INT with no prefix digits reads as 0.", ["EmptyPrefix"], bytes([INT]), 0, "empty_prefix", 0),
        ("empty-prefix-neg", "NEG with no prefix digits reads as 0.", ["EmptyPrefix"], bytes([NEG]), 0, "empty_prefix", 0),
        ("empty-prefix-longint", "LONGINT with no prefix digits.", ["EmptyPrefix"], bytes([LONGINT]), 0, "empty_prefix", 0),
        ("empty-prefix-string", "STRING with no prefix: an empty string.", ["EmptyPrefix"], bytes([STRING]), b"", "empty_prefix", 0),
        ("empty-prefix-list", "LIST with no prefix: an empty list.", ["EmptyPrefix"], bytes([LIST]), [], "empty_prefix", 0),
        ("non-minimal-int", "05 00 81 is 5 with a zero top digit.", ["NonMinimalPrefix"], bytes([5, 0, INT]), 5, "non_minimal_prefix", 2),
        ("non-minimal-zero", "00 00 81 is 0 in two digits.", ["NonMinimalPrefix"], bytes([0, 0, INT]), 0, "non_minimal_prefix", 2),
        ("non-minimal-string", "A STRING length 05 00.", ["NonMinimalPrefix"], bytes([5, 0, STRING]) + b"hello", b"hello", "non_minimal_prefix", 2),
        ("non-minimal-list", "A LIST count 01 00.", ["NonMinimalPrefix"], bytes([1, 0, LIST]) + el(1, INT), [1], "non_minimal_prefix", 2),
        ("non-minimal-neg", "NEG 01 00 00.", ["NonMinimalPrefix"], bytes([1, 0, 0, NEG]), -1, "non_minimal_prefix", 3),
        ("int-type-over-2p31m1", "INT carrying 2**31, one past the specification's limit.", ["IntRange"], el(2**31, INT), 2**31, "int_out_of_range", 5),
        ("int-type-2p448m1", "INT carrying 2**448-1.", ["IntRange"], b"\x7f" * 64 + bytes([INT]), 2**448 - 1, "int_out_of_range", 64),
        ("neg-type-under-neg-2p31", "NEG carrying -(2**31+1).", ["IntRange"], el(2**31 + 1, NEG), -(2**31 + 1), "int_out_of_range", 5),
        ("float-with-prefix", "A prefix digit before FLOAT.", ["FloatPrefix"], b"\x01" + fl(1.5), 1.5, "float_prefix", 1),
        ("float-with-zero-prefix", "A zero prefix before FLOAT.", ["FloatPrefix"], b"\x00" + fl(-0.0), -0.0, "float_prefix", 1),
    ]
    for slug, desc, flags, data, value, reason, off in lenient:
        A.add(f"lenient-{slug}", desc + " Twisted accepts it.", TW, flags, data, J(value), ok(), result="acceptable",
              alternatives=[{"frames": [], "outcome": close(reason, off)}])
        C.add(f"strict-{slug}", desc + " Strict mode rejects it.", SPEC, flags, data, [], close(reason, off), result="acceptable",
              alternatives=[{"frames": J(value), "outcome": ok()}])
    A.add("lenient-in-list", "A non-minimal INT inside a list, then a valid expression.", TW, ["NonMinimalPrefix"],
          el(1, LIST) + bytes([2, 0, INT]) + el(9, INT), J([2], 9), ok(), result="acceptable",
          alternatives=[{"frames": [], "outcome": close("non_minimal_prefix", 4)}])

    # The pb dialect.
    for i, word in enumerate(WORDS, start=1):
        B.add(f"pb-vocab-{i:02d}", f"VOCAB {i} is {word.decode()!r}.", PROFILES, ["Vocab"], el(i, VOCAB), J(word), ok())
    D.add("strict-pb-vocab-01", "VOCAB 1 is 'None'.", PROFILES, ["Vocab"], el(1, VOCAB), J(b"None"), ok())
    B.add("pb-vocab-0", "VOCAB 0 has no word.", TW, ["UnknownVocab"], el(0, VOCAB), [], close("unknown_vocab", 1))
    B.add("pb-vocab-32", "VOCAB 32 has no word.", TW, ["UnknownVocab"], el(32, VOCAB), [], close("unknown_vocab", 1))
    B.add("pb-vocab-1000", "VOCAB 1000 has no word.", TW, ["UnknownVocab"], el(1000, VOCAB), [], close("unknown_vocab", 2))
    B.add("pb-vocab-spec-order", "The specification's order 87 01: an empty prefix (id 0) before 0x87.", PROFILES,
          ["SpecVocabOrder", "UnknownVocab"], bytes([VOCAB, 1]), [], close("unknown_vocab", 0))
    D.add("strict-pb-vocab-spec-order", "The specification's order 87 01: an empty prefix, rejected by strict mode.", PROFILES,
          ["SpecVocabOrder", "EmptyPrefix"], bytes([VOCAB, 1]), [], close("empty_prefix", 0))
    B.add("pb-vocab-in-list", "Vocabulary words inside a list.", PROFILES, ["Vocab", "List"],
          el(3, LIST) + el(13, VOCAB) + s(b"x") + el(26, VOCAB), J([b"copy", b"x", b"message"]), ok())
    B.add("pb-string-form-of-word", "A vocabulary word sent as a plain STRING is the same value.", PROFILES, ["Vocab", "String"],
          s(b"None"), J(b"None"), ok())
    B.add("pb-ordinary", "Non-vocab elements work as in none.", PROFILES, ["Vocab", "Integer"],
          el(2, LIST) + el(5, INT) + s(b"hi"), J([5, b"hi"]), ok())
    B.add("pb-vocab-multibyte", "VOCAB id 1 as 01 00: Twisted accepts it.", TW, ["Vocab", "NonMinimalPrefix"],
          bytes([1, 0, VOCAB]), J(b"None"), ok(), result="acceptable", alternatives=[{"frames": [], "outcome": close("non_minimal_prefix", 2)}])
    D.add("strict-pb-vocab-multibyte", "VOCAB id 1 as 01 00: strict mode rejects it.", SPEC, ["Vocab", "NonMinimalPrefix"],
          bytes([1, 0, VOCAB]), [], close("non_minimal_prefix", 2), result="acceptable", alternatives=[{"frames": J(b"None"), "outcome": ok()}])
    B.add("pb-unknown-type", "0x88 is not defined in pb either.", TW, ["UnknownType"], el(1, 0x88), [], close("unknown_type", 1))
    B.add("pb-garbage-after-vocab", "A word, then 0xff.", TW, ["Garbage", "Vocab"], el(2, VOCAB) + b"\xff", J(b"class"), close("unknown_type", 2))

    # Handshake, server side: the input is what the client sends after our offer.
    pb, none = s(b"pb"), s(b"none")
    E = f.group("banana", {"role": "server", "dialects": ["pb", "none"], "strict": False}, "We offered [pb, none].")
    Fn = f.group("banana", {"role": "server", "dialects": ["none"], "strict": False}, "We offered [none].")
    hs = HANDSHAKE
    E.add("server-choose-pb", "The client chooses pb.", hs, ["Handshake"], pb, [], ok(), dialect="pb")
    E.add("server-choose-none", "The client chooses none.", hs, ["Handshake"], none, [], ok(), dialect="none")
    E.add("server-pb-then-vocab", "pb, then a VOCAB word.", hs, ["Handshake", "Vocab"], pb + el(1, VOCAB), J(b"None"), ok(), dialect="pb")
    E.add("server-none-then-vocab", "none, then a VOCAB word: refused.", hs, ["Handshake", "VocabDialect"],
          none + el(1, VOCAB), [], close("vocab_not_allowed", 7), dialect="none")
    E.add("server-pb-then-expressions", "pb, then two expressions in the same read.", hs, ["Handshake"],
          pb + el(1, INT) + el(2, LIST) + el(1, INT) + s(b"a"), J(1, [1, b"a"]), ok(), dialect="pb")
    E.add("server-unknown-dialect", "The client chooses 'foo'.", hs, ["HandshakeFailure"], s(b"foo"), [], close("handshake_unknown_dialect", 4), dialect=None)
    E.add("server-uppercase-dialect", "'PB' is not 'pb'.", hs, ["HandshakeFailure"], s(b"PB"), [], close("handshake_unknown_dialect", 3), dialect=None)
    E.add("server-empty-choice", "An empty string is not a dialect.", hs, ["HandshakeFailure"], s(b""), [], close("handshake_unknown_dialect", 1), dialect=None)
    E.add("server-int-choice", "An INT instead of a dialect name.", hs, ["HandshakeFailure"], el(1, INT), [], close("handshake_bad_choice", 1), dialect=None)
    E.add("server-list-choice", "A list holding 'pb' is not a choice.", hs, ["HandshakeFailure"], el(1, LIST) + pb, [], close("handshake_bad_choice", 5), dialect=None)
    E.add("server-vocab-before-handshake", "VOCAB before any dialect is agreed.", hs, ["HandshakeFailure", "VocabDialect"],
          el(1, VOCAB), [], close("vocab_not_allowed", 1), dialect=None)
    E.add("server-nothing-yet", "The client has sent nothing.", hs, ["Incomplete"], b"", [], ok(), dialect=None)
    E.add("server-partial-choice", "Half of 'pb'.", hs, ["Incomplete"], pb[:3], [], incomplete(), dialect=None)
    E.add("server-choice-split", "The choice and an expression, split inside the choice.", hs, ["Split", "Handshake"],
          pb + el(4, INT), J(4), ok(), dialect="pb", chunks=[pb[:2], pb[2:] + el(4, INT)])
    E.add("server-garbage-after-choice", "pb, then an unknown type byte.", hs, ["Handshake", "UnknownType"],
          pb + b"\xff", [], close("unknown_type", 4), dialect="pb")
    Fn.add("server-none-only-refuses-pb", "We offered only none; the client chooses pb.", hs, ["HandshakeFailure"],
           pb, [], close("handshake_unknown_dialect", 3), dialect=None)
    Fn.add("server-none-only-accepts-none", "We offered only none; the client chooses none.", hs, ["Handshake"],
           none + el(3, NEG), J(-3), ok(), dialect="none")

    # Handshake, client side: the input is what the server sends; 'reply' is our answer.
    G = f.group("banana", {"role": "client", "dialects": ["pb", "none"], "strict": False}, "We know [pb, none].")
    H = f.group("banana", {"role": "client", "dialects": ["pb", "none"], "strict": True}, "We know [pb, none]; strict.")
    In = f.group("banana", {"role": "client", "dialects": ["none"], "strict": False}, "We know [none].")

    def offer(*names) -> bytes:
        return el(len(names), LIST) + b"".join(s(n) if isinstance(n, bytes) else el(n, INT) for n in names)

    G.add("client-twisted-offer", "Twisted's offer [pb, none]: answer pb.", hs, ["Handshake"], offer(b"pb", b"none"), [], ok(),
          dialect="pb", reply=pb.hex())
    G.add("client-offer-none-first", "[none, pb]: the first offered dialect we know wins.", hs, ["Handshake"],
          offer(b"none", b"pb"), [], ok(), dialect="none", reply=none.hex())
    G.add("client-offer-none", "[none].", hs, ["Handshake"], offer(b"none"), [], ok(), dialect="none", reply=none.hex())
    G.add("client-offer-unknown-first", "[foo, none]: skip foo.", hs, ["Handshake"], offer(b"foo", b"none"), [], ok(),
          dialect="none", reply=none.hex())
    G.add("client-offer-then-vocab", "[pb, none], then a VOCAB word.", hs, ["Handshake", "Vocab"],
          offer(b"pb", b"none") + el(19, VOCAB), J(b"version"), ok(), dialect="pb", reply=pb.hex())
    G.add("client-empty-offer", "An empty offer.", hs, ["HandshakeFailure"], offer(), [], close("handshake_no_common_dialect", 1),
          dialect=None, reply="")
    G.add("client-offer-foo", "[foo]: nothing we know.", hs, ["HandshakeFailure"], offer(b"foo"), [],
          close("handshake_no_common_dialect", len(offer(b"foo")) - 1), dialect=None, reply="")
    G.add("client-offer-string", "A STRING 'pb' instead of a list.", hs, ["HandshakeFailure"], pb, [],
          close("handshake_bad_offer", 3), dialect=None, reply="")
    G.add("client-offer-int", "An INT instead of a list.", hs, ["HandshakeFailure"], el(2, INT), [],
          close("handshake_bad_offer", 1), dialect=None, reply="")
    G.add("client-offer-partial", "Part of an offer.", hs, ["Incomplete"], offer(b"pb", b"none")[:5], [], incomplete(),
          dialect=None, reply="")
    G.add("client-offer-split", "An offer split inside a name, then an expression.", hs, ["Split", "Handshake"],
          offer(b"pb", b"none") + el(1, INT), J(1), ok(), dialect="pb", reply=pb.hex(),
          chunks=[offer(b"pb", b"none")[:6], offer(b"pb", b"none")[6:] + el(1, INT)])
    G.add("client-offer-with-int", "[1, none]: Twisted skips the 1.", TW, ["OfferLeniency", "Handshake"], offer(1, b"none"), [], ok(),
          dialect="none", reply=none.hex(), result="acceptable",
          alternatives=[{"frames": [], "outcome": close("handshake_bad_offer", len(offer(1, b"none")) - 1), "dialect": None, "reply": ""}])
    H.add("client-strict-offer-with-int", "[1, none]: strict mode refuses an offer with a non-string.", hs, ["OfferLeniency", "HandshakeFailure"],
          offer(1, b"none"), [], close("handshake_bad_offer", len(offer(1, b"none")) - 1), dialect=None, reply="", result="acceptable",
          alternatives=[{"frames": [], "outcome": ok(), "dialect": "none", "reply": none.hex()}])
    H.add("client-strict-twisted-offer", "Twisted's offer, strict: answer pb.", hs, ["Handshake"], offer(b"pb", b"none"), [], ok(),
          dialect="pb", reply=pb.hex())
    In.add("client-none-only-twisted-offer", "We know only none; Twisted offers [pb, none].", hs, ["Handshake"],
           offer(b"pb", b"none"), [], ok(), dialect="none", reply=none.hex())
    In.add("client-none-only-offer-pb", "We know only none; the server offers [pb].", hs, ["HandshakeFailure"],
           offer(b"pb"), [], close("handshake_no_common_dialect", len(offer(b"pb")) - 1), dialect=None, reply="")
    return f
