"""The client scenarios (vectors/client-scenarios.json), written as Python for brevity.

Each scenario pins down one passage of robust-line-client-notes.txt (``NOTES``) or one
behaviour of docs/client-contract.md.  The expected transcripts are written here by hand;
``wirecheck clients lint`` checks that the reference model gives each of them.
Run ``python tools/client_scenarios.py`` to write the file.
"""

from __future__ import annotations

import json
from pathlib import Path

NOTES = "robust-line-client-notes.txt"
CONTRACT = "docs/client-contract.md"
OUT = Path(__file__).resolve().parent.parent / "vectors" / "client-scenarios.json"


def expect(text):
    return {"step": "expect", "request": text}


def send(*frames, cuts=None):
    step = {"step": "send", "frames": list(frames)}
    if cuts:
        step["cuts"] = list(cuts)
    return step


def reply(text, data):
    return {"reply_to": text, "data": data}


def pause(seconds=0.05):
    return {"step": "pause", "seconds": seconds}


CLOSE = {"step": "close"}
HALF_CLOSE = {"step": "half_close"}


def after(step, line):
    return {"line": line, "after": step}


def rep(rid, data):
    return {"event": "reply", "id": rid, "data": data}


def err(rid):
    return {"event": "error", "id": rid}


def notif(data):
    return {"event": "notification", "data": data}


def unexp(data):
    return {"event": "unexpected", "data": data}


NOTIFY_ON = [expect("notify"), send(reply("notify", "ok"))]

SCENARIOS = [
    # -- the protocol working as it should --------------------------------------------------------------
    ("request-reply", "One request, one reply.", f"{NOTES}: plizRandom",
     ["request 1 random"], [expect("random"), send(reply("random", "4"))], [rep("1", "4")]),
    ("requests-in-sequence", "A second request once the first was answered.", f"{NOTES}: gotConnection",
     ["request 1 first", after(1, "request 2 second")],
     [expect("first"), send(reply("first", "1")), expect("second"), send(reply("second", "2"))],
     [rep("1", "1"), rep("2", "2")]),
    ("empty-reply", "An empty reply is a reply.", CONTRACT,
     ["request 1 empty"], [expect("empty"), send(reply("empty", ""))], [rep("1", "")]),
    ("no-requests", "Nothing to do: the client connects, finishes and exits.", CONTRACT,
     [], [pause()], []),
    # -- the server speaks first ------------------------------------------------------------------------
    ("line-before-any-request", "The server sends a line before the client sent anything; then a request "
     "is answered normally.", f"{NOTES}: the server sends stuff in the socket before client has emitted a request",
     [after(1, "request 1 random")], [send("hello"), pause(), expect("random"), send(reply("random", "4"))],
     [unexp("hello"), rep("1", "4")]),
    ("line-before-nothing", "The server sends a line and the application never sends a request.",
     f"{NOTES}: the server sends stuff in the socket before client has emitted a request",
     [], [send("hello"), pause()], [unexp("hello")]),
    # -- two answers to one request ---------------------------------------------------------------------
    ("duplicate-reply", "The server answers a request twice, both in one read.",
     f"{NOTES}: the server having emitted a command receives two answers",
     ["request 1 random"], [expect("random"), send(reply("random", "4"), reply("random", "4"))],
     [rep("1", "4"), unexp("4")]),
    ("duplicate-reply-later", "The server answers a request twice, in two reads.",
     f"{NOTES}: the server having emitted a command receives two answers",
     ["request 1 random"], [expect("random"), send(reply("random", "4")), pause(), send(reply("random", "4"))],
     [rep("1", "4"), unexp("4")]),
    ("unsolicited-after-reply", "After the reply, a line nobody asked for.", f"{NOTES}: why not just ignore the "
     "unexpected data?", ["request 1 first"], [expect("first"), send(reply("first", "1")), pause(), send("spurious")],
     [rep("1", "1"), unexp("spurious")]),
    ("unsolicited-merged-with-reply", "The reply and an unsolicited line arrive in one read.", CONTRACT,
     ["request 1 first"], [expect("first"), send(reply("first", "1"), "extra")], [rep("1", "1"), unexp("extra")]),
    # -- the next request sent from inside the reply's callback --------------------------------------------
    ("chain-from-callback", "The reply's callback sends the next request.", f"{NOTES}: subtle bug: self.d must be "
     "overwritten before the callback is fired",
     ["request 1 first", "chain 2 second"],
     [expect("first"), send(reply("first", "1")), expect("second"), send(reply("second", "2"))],
     [rep("1", "1"), rep("2", "2")]),
    ("chain-three-deep", "Each reply's callback sends the next request, three deep.", f"{NOTES}: subtle bug",
     ["request 1 first", "chain 2 second", "chain 3 third"],
     [expect("first"), send(reply("first", "1")), expect("second"), send(reply("second", "2")),
      expect("third"), send(reply("third", "3"))],
     [rep("1", "1"), rep("2", "2"), rep("3", "3")]),
    ("chain-after-duplicate", "The reply's callback sends the next request, and the server then repeats the "
     "first reply: it must not answer the chained request.", f"{NOTES}: the server having emitted a command "
     "receives two answers", ["request 1 first", "chain 2 second"],
     [expect("first"), send(reply("first", "1")), expect("second"), send(reply("first", "1")), pause(),
      send(reply("second", "2"))],
     [rep("1", "1"), unexp("1"), rep("2", "2")], {"profiles": ["numbered"]}),
    # -- bursts -----------------------------------------------------------------------------------------
    ("burst-two", "Two requests sent without waiting; replies in order, in two reads.", f"{NOTES}: the client "
     "sends multiple messages in a burst", ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send(reply("first", "1")), pause(), send(reply("second", "2"))],
     [rep("1", "1"), rep("2", "2")]),
    ("burst-two-one-read", "Two requests sent without waiting; both replies in one read.", f"{NOTES}: the client "
     "sends multiple messages in a burst", ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send(reply("first", "1"), reply("second", "2"))],
     [rep("1", "1"), rep("2", "2")]),
    ("burst-five-one-read", "Five requests in a burst, five replies in one read.", f"{NOTES}: requests are sent in "
     "batch", [f"request {n} r{n}" for n in range(1, 6)],
     [expect(f"r{n}") for n in range(1, 6)] + [send(*[reply(f"r{n}", f"v{n}") for n in range(1, 6)])],
     [rep(str(n), f"v{n}") for n in range(1, 6)]),
    ("burst-replies-split", "A burst's replies arrive cut across reads, a cut inside each frame.", CONTRACT,
     ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send(reply("first", "one"), reply("second", "two"), cuts=[2, 5, 7])],
     [rep("1", "one"), rep("2", "two")]),
    # -- notifications ----------------------------------------------------------------------------------
    ("notification-mode", "notify, two notifications, stop_notify.", f"{NOTES}: notification methods",
     ["notify", after(3, "stop_notify")],
     [*NOTIFY_ON, send("notif:one"), send("notif:two"), expect("stop_notify"), send(reply("stop_notify", "ok"))],
     [rep("notify", "ok"), notif("notif:one"), notif("notif:two"), rep("stop_notify", "ok")]),
    ("request-in-notification-mode", "A request while notifications are on.", f"{NOTES}: what if a command is sent "
     "during notification mode?", ["notify", after(1, "request 1 random")],
     [*NOTIFY_ON, expect("random"), send(reply("random", "4"))], [rep("notify", "ok"), rep("1", "4")]),
    ("notification-just-before-reply", "In notification mode, a notification arrives just before the reply, in "
     "the same read.", f"{NOTES}: the server sends a notification right before receiving a request",
     ["notify", after(1, "request 1 random")],
     [*NOTIFY_ON, expect("random"), send("notif:x", reply("random", "4"))],
     [rep("notify", "ok"), notif("notif:x"), rep("1", "4")]),
    ("notification-while-request-on-wire", "In notification mode, a notification arrives while a request is on "
     "the wire, then the reply in its own read.", f"{NOTES}: the server sends a notification at the exact same "
     "time that the client sends a request", ["notify", after(1, "request 1 random")],
     [*NOTIFY_ON, expect("random"), send("notif:x"), pause(), send(reply("random", "4"))],
     [rep("notify", "ok"), notif("notif:x"), rep("1", "4")]),
    ("notification-before-notify-reply", "The server receives notify, sends a notification, and only then the "
     "reply to notify.", f"{NOTES}: the server receives a request to send notifications, then replies a notif, "
     "and only then sends the reply", ["notify"],
     [expect("notify"), send("notif:early"), pause(), send(reply("notify", "ok"))],
     [notif("notif:early"), rep("notify", "ok")]),
    ("notification-on-wire-at-stop", "stop_notify is sent while a notification is already on the wire.",
     f"{NOTES}: this would be _stop_notify_ being sent when a notification is already on the wire",
     ["notify", after(1, "stop_notify")],
     [*NOTIFY_ON, expect("stop_notify"), send("notif:late", reply("stop_notify", "ok"))],
     [rep("notify", "ok"), notif("notif:late"), rep("stop_notify", "ok")]),
    ("notify-stop-notify-burst", "notify and stop_notify sent in quick sequence, before either reply.",
     f"{NOTES}: the notif(), stopNotif() commands can be sent in a quick sequence", ["notify", "stop_notify"],
     [expect("notify"), expect("stop_notify"), send(reply("notify", "ok")), send(reply("stop_notify", "ok"))],
     [rep("notify", "ok"), rep("stop_notify", "ok")]),
    ("notification-outside-mode", "A notification arrives though notifications were never asked for.",
     f"{NOTES}: notification data is prefixed by notif:", ["request 1 first"],
     [expect("first"), send("notif:stray", reply("first", "1"))], [unexp("notif:stray"), rep("1", "1")]),
    ("notification-split-with-reply", "In notification mode, a notification and the reply to a request arrive "
     "cut across reads, a cut inside the notification.", CONTRACT, ["notify", after(1, "request 1 random")],
     [*NOTIFY_ON, expect("random"), send("notif:split", reply("random", "4"), cuts=[4, 9])],
     [rep("notify", "ok"), notif("notif:split"), rep("1", "4")]),
    # -- reads --------------------------------------------------------------------------------------------
    ("reply-split-across-reads", "The reply arrives in three reads.", CONTRACT,
     ["request 1 random"], [expect("random"), send(reply("random", "hello world"), cuts=[3, 7])],
     [rep("1", "hello world")]),
    ("reply-byte-by-byte", "The reply arrives one byte per read.", CONTRACT,
     ["request 1 random"], [expect("random"), send(reply("random", "abcdef"), cuts=list(range(1, 16)))],
     [rep("1", "abcdef")]),
    # -- the connection ends --------------------------------------------------------------------------------
    ("over-long-reply", "The reply is one byte longer than the client's maximum: its framing breaks and the "
     "request fails.", CONTRACT, ["request 1 random"],
     [expect("random"), send({"fill": "x", "over_max": 1})], [err("1")]),
    ("over-long-reply-two-pending", "An over-long reply while two requests wait: both fail.", CONTRACT,
     ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send({"fill": "x", "over_max": 1})], [err("1"), err("2")]),
    ("close-with-pending", "The server closes while a request waits.", CONTRACT,
     ["request 1 random"], [expect("random"), CLOSE], [err("1")]),
    ("close-with-several-pending", "The server answers the first of three requests and closes.", CONTRACT,
     ["request 1 first", "request 2 second", "request 3 third"],
     [expect("first"), expect("second"), expect("third"), send(reply("first", "1")), CLOSE],
     [rep("1", "1"), err("2"), err("3")]),
    ("half-close-with-pending", "The server shuts down its side (half-close) while a request waits.", CONTRACT,
     ["request 1 random"], [expect("random"), HALF_CLOSE], [err("1")]),
    ("close-mid-reply", "The server closes in the middle of the reply.", CONTRACT,
     ["request 1 random"], [expect("random"), {"step": "send", "frames": [reply("random", "cut short")], "truncate": 4},
                            pause(), CLOSE], [err("1")]),
    ("chain-parent-fails", "The connection closes before the reply whose callback would send the next request: "
     "both fail.", CONTRACT, ["request 1 first", "chain 2 second"], [expect("first"), CLOSE],
     [err("1"), err("2")]),
    ("request-after-close", "The server closes first; a request made afterwards fails at once.", CONTRACT,
     [after(0, "request 1 random")], [CLOSE], [err("1")]),
    ("server-never-replies", "The server takes the request and never answers: the client's own timeout must fail "
     "it.", CONTRACT, ["request 1 random"], [expect("random")], [err("1")], {"needs": ["timeout"]}),
    # -- the numbered profile -------------------------------------------------------------------------------
    ("numbered-out-of-order", "Two requests in a burst, answered in the opposite order.", f"{NOTES}: enumerate "
     "the requests and expect the request number in the replies",
     ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send(reply("second", "2")), pause(), send(reply("first", "1"))],
     [rep("2", "2"), rep("1", "1")], {"profiles": ["numbered"]}),
    ("numbered-duplicate-while-pending", "The first reply repeated while the second request still waits: only a "
     "number tells it apart.", f"{NOTES}: the server having emitted a command receives two answers",
     ["request 1 first", "request 2 second"],
     [expect("first"), expect("second"), send(reply("first", "1"), reply("first", "1")), pause(),
      send(reply("second", "2"))],
     [rep("1", "1"), unexp("1"), rep("2", "2")], {"profiles": ["numbered"]}),
    ("numbered-unknown-id", "A reply for a request number never sent.", CONTRACT, ["request 1 first"],
     [expect("first"), send("99 stray"), pause(), send(reply("first", "1"))],
     [unexp("99 stray"), rep("1", "1")], {"profiles": ["numbered"]}),
]


def build() -> dict:
    out = []
    for entry in SCENARIOS:
        sid, description, reference, actions, script, expected, *extra = entry
        obj = {"id": sid, "description": description, "reference": reference}
        obj.update(extra[0] if extra else {})
        obj.update({"actions": actions, "script": script, "expected": expected})
        out.append(obj)
    return {"format": "wirecheck-client-scenarios", "version": 1,
            "notes": "docs/client-contract.md; generated by tools/client_scenarios.py", "scenarios": out}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1) + "\n")
    print(f"wrote {len(SCENARIOS)} scenarios to {OUT}")
