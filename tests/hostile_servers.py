"""Endpoints that misbehave on purpose, to show that no endpoint can hang or exhaust wirecheck.

    python tests/hostile_servers.py MODE --port N

flood     answers every connection with an endless stream of valid netstrings
silent    reads everything, answers nothing, never closes
reset     resets every connection at once (RST)
exit      serves correctly for 20 connections, then exits
drip      declares a 10 GB netstring and drips one byte every 0.2 s
bad-offer a Banana server whose offer is the STRING 'pb', not a list of names
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import threading
import time


def flood(conn: socket.socket) -> None:
    block = b"1:x," * 16384
    while True:
        conn.sendall(block)


def silent(conn: socket.socket) -> None:
    while conn.recv(65536):
        pass
    time.sleep(3600)  # the peer closed; we never do


def reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def drip(conn: socket.socket) -> None:
    conn.sendall(b"10000000000:")
    while True:
        conn.sendall(b"z")
        time.sleep(0.2)


def bad_offer(conn: socket.socket) -> None:
    conn.sendall(bytes([2, 0x82]) + b"pb")
    while conn.recv(65536):
        pass
    conn.close()


def echo(conn: socket.socket) -> None:
    """A correct netstring echo (for the first connections of 'exit')."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from wirecheck.codecs import ProtocolError
    from wirecheck.codecs.netstring import NetstringDecoder, encode

    decoder = NetstringDecoder()
    while data := conn.recv(65536):
        events = decoder.feed(data)
        conn.sendall(b"".join(encode(e) for e in events if not isinstance(e, ProtocolError)))
        if decoder.error:
            break
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["flood", "silent", "reset", "exit", "drip", "bad-offer"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    handlers = {"flood": flood, "silent": silent, "reset": reset, "drip": drip, "exit": echo, "bad-offer": bad_offer}
    handler = handlers[args.mode]
    server = socket.create_server(("127.0.0.1", args.port))
    served = 0
    while True:
        conn, _ = server.accept()
        served += 1
        if args.mode == "exit" and served > 20:
            os._exit(0)

        def guarded(conn=conn):
            try:
                handler(conn)
            except OSError:
                pass

        threading.Thread(target=guarded, daemon=True).start()


if __name__ == "__main__":
    main()
