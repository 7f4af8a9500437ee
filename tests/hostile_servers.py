"""Endpoints and commands that misbehave on purpose, to show that none can crash, hang, flood
or fool wirecheck.

    python tests/hostile_servers.py MODE --port N

Netstring servers:
flood        answers every connection with an endless stream of valid netstrings
silent       reads everything, answers nothing, never closes
never-read   accepts and never reads (wirecheck's writes fill the socket buffers)
reset        resets every connection at once (RST)
closes       closes every connection at once, cleanly (FIN), without reading
garbage      answers every connection with bytes that are not netstrings
exit         serves correctly for 20 connections, then exits
goes-silent  serves correctly for 20 connections, then answers nothing
drip         declares a 10 GB netstring and drips one byte every 0.2 s
slow-echo    a correct echo that sends its answers one byte every 0.9 s
escape-exit  prints terminal escape sequences and exits before listening
setsid-child serves from a child that left the process group (setsid); the parent waits
daemonize    forks a grandchild that serves in a new session; the command itself exits 0
Clients (connect to --port and misbehave):
client-never-read connects again and again and never reads
Banana servers (offer first, then echo in dialect 'none'):
bad-offer    the offer is the STRING 'pb', not a list of names
deep-offer   the offer is a list nested 1,500 levels deep
endless-offer an offer that opens lists forever
escape-offer offers a dialect whose name holds ESC and BEL
deep-echo    a correct offer, then every expression answered with a list nested 3,000 deep
big-echo     a correct offer, then every expression answered with a 700,000-byte STRING
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "harness"))


def flood(conn: socket.socket) -> None:
    block = b"1:x," * 16384
    while True:
        conn.sendall(block)


def silent(conn: socket.socket) -> None:
    while conn.recv(65536):
        pass
    time.sleep(3600)  # the peer closed; we never do


def never_read(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    time.sleep(3600)


def reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def closes(conn: socket.socket) -> None:
    conn.close()


def garbage(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    while conn.recv(65536):
        pass
    conn.close()


def drip(conn: socket.socket) -> None:
    conn.sendall(b"10000000000:")
    while True:
        conn.sendall(b"z")
        time.sleep(0.2)


def echo(conn: socket.socket, pace: float = 0.0) -> None:
    """A correct netstring echo; with ``pace``, one byte of answer per ``pace`` seconds."""
    from wirecheck.codecs import ProtocolError
    from wirecheck.codecs.netstring import NetstringDecoder, encode

    decoder = NetstringDecoder()
    while data := conn.recv(65536):
        events = decoder.feed(data)
        answer = b"".join(encode(e) for e in events if not isinstance(e, ProtocolError))
        for i in range(len(answer)) if pace else ():
            conn.sendall(answer[i : i + 1])
            time.sleep(pace)
        if not pace:
            conn.sendall(answer)
        if decoder.error:
            break
    conn.close()


def slow_echo(conn: socket.socket) -> None:
    echo(conn, pace=0.9)


def banana_server(offer: bytes, answer) -> callable:
    """A Banana server that sends ``offer``, reads the choice, and answers each expression with ``answer``."""

    def serve(conn: socket.socket) -> None:
        from wirecheck.codecs import ProtocolError
        from wirecheck.codecs.banana import BananaDecoder

        conn.sendall(offer)
        decoder = BananaDecoder(None, role="server", dialects=(b"none",))
        while data := conn.recv(65536):
            for event in decoder.feed(data):
                if isinstance(event, ProtocolError):
                    conn.close()
                    return
                if not isinstance(event, bytes) or decoder.dialect is None or event != decoder.dialect:
                    conn.sendall(answer)
        conn.close()

    return serve


def _nested(depth: int) -> bytes:
    """A Banana list nested ``depth`` levels deep, holding one int at the bottom."""
    return bytes([1, 0x80]) * depth + bytes([1, 0x81])


NONE_OFFER = bytes([1, 0x80, 4, 0x82]) + b"none"
MODES = {
    "flood": flood,
    "silent": silent,
    "never-read": never_read,
    "reset": reset,
    "closes": closes,
    "garbage": garbage,
    "drip": drip,
    "exit": echo,
    "goes-silent": echo,
    "slow-echo": slow_echo,
    "setsid-child": echo,
    "daemonize": echo,
    "bad-offer": banana_server(bytes([2, 0x82]) + b"pb", b""),
    "deep-offer": banana_server(_nested(1500), b""),
    "endless-offer": None,
    "escape-offer": banana_server(bytes([1, 0x80, 9, 0x82]) + b"\x1b[31m\x07bad", b""),
    "deep-echo": banana_server(NONE_OFFER, _nested(3000)),
    "big-echo": banana_server(NONE_OFFER, None),  # built in main(): over the reference's own size limit
}


def endless_offer(conn: socket.socket) -> None:
    while True:
        conn.sendall(bytes([1, 0x80]) * 8192)


MODES["endless-offer"] = endless_offer


def big_string() -> bytes:
    """A 700,000-byte STRING: over Banana's 640 KiB size limit, so wirecheck cannot re-encode its echo."""
    from wirecheck.codecs.banana import encode

    return encode(b"s" * 700_000, dialect=b"none", size_limit=1 << 20)


def serve_forever(mode: str, port: int) -> None:
    if mode == "big-echo":
        MODES[mode] = banana_server(NONE_OFFER, big_string())
    handler = MODES[mode]
    server = socket.create_server(("127.0.0.1", port))
    served = 0
    while True:
        conn, _ = server.accept()
        served += 1
        if mode == "exit" and served > 20:
            os._exit(0)
        if mode == "goes-silent" and served > 20:
            handler = silent

        def guarded(conn=conn, handler=handler):
            try:
                handler(conn)
            except OSError:
                pass

        threading.Thread(target=guarded, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=[*MODES, "escape-exit", "client-never-read"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if args.mode == "client-never-read":
        held = []
        while True:
            try:
                held.append(socket.create_connection(("127.0.0.1", args.port), timeout=1))
            except OSError:
                time.sleep(0.1)
            time.sleep(0.2)
    if args.mode == "escape-exit":
        print("\x1b]0;pwned\x07\x1b[2J\x1b[31mstarting\x1b[0m", flush=True)
        sys.exit(3)
    if args.mode == "setsid-child":
        if os.fork() == 0:
            os.setsid()
            serve_forever(args.mode, args.port)
        os.wait()  # the child is killed by pid, not by group: this returns then
        return
    if args.mode == "daemonize":
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(0.3)  # the command has exited by now: it looks like an early exit
                serve_forever(args.mode, args.port)
            os._exit(0)
        os.wait()
        return
    serve_forever(args.mode, args.port)


if __name__ == "__main__":
    main()
