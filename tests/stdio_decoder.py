"""A stdio decoder for tests (docs/stdio-contract.md), built on wirecheck's reference codecs.

    python tests/stdio_decoder.py MODE PROTOCOL [--chunked] [--max-length N]

MODE: ``correct``; ``drop-empty`` (empty frames are not written);
``hostile`` (adds a frame of markup and terminal escapes after the real ones);
``crash`` (exits 3 after the first read); ``garbage`` (prints a line that is not JSON);
``hang`` (never exits); ``flood`` (prints frames without end).
"""

import argparse
import json
import sys
import time

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES, ProtocolError

HOSTILE = b"<script>alert(1)</script><img src=x onerror=alert(2)>\x1b[31mred\x1b]0;title\x07"


def reads(stream, chunked: bool):
    if not chunked:
        while data := stream.read1(65536):
            yield data
        return
    while header := stream.read(4):
        yield stream.read(int.from_bytes(header, "big"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode")
    parser.add_argument("protocol")
    parser.add_argument("--chunked", action="store_true")
    parser.add_argument("--max-length", type=int)
    args = parser.parse_args()
    spec = protocols.get(args.protocol)
    params = {"max_length": args.max_length} if args.max_length is not None else {}
    decoder = spec.decoder(protocols.complete(spec, params))
    encode = spec.encoder(protocols.complete(spec, params), None)
    out = sys.stdout
    if args.mode == "hang":
        time.sleep(3600)
    if args.mode == "flood":
        while True:
            out.write(json.dumps({"frame": "61" * 1000}) + "\n")
    for data in reads(sys.stdin.buffer, args.chunked):
        if args.mode == "crash":
            return 3
        if args.mode == "garbage":
            out.write("this is not json\n")
            return 0
        for event in decoder.feed(data):
            if isinstance(event, ProtocolError):
                out.write(json.dumps({"error": event.reason}) + "\n")
                return 1
            if not isinstance(event, NOT_FRAMES) and (event != b"" or args.mode != "drop-empty"):
                frame = encode(event) if spec.structured else event
                out.write(json.dumps({"frame": bytes(frame).hex()}) + "\n")
        out.flush()
    if args.mode == "hostile":
        out.write(json.dumps({"frame": HOSTILE.hex()}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
