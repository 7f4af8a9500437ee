"""Reference decoders against Twisted's receivers, on the same inputs, in one run.

    python benchmarks/bench_decoders.py [--twisted-cap SECONDS] [--json FILE] [--skip-twisted]

Inputs (each decoded once; ours best of --repeat):
  bulk    1 and 4 MiB of 10-byte frames in one chunk: netstring, int32, line, and
          a Banana list of 10-byte LONGINTs
  bytes   one 64 KiB and one 256 KiB frame fed one byte per call: netstring,
          int32, line, Banana string; ours also at 1 MiB
Twisted runs in a child process killed after --twisted-cap seconds (its decoders
are quadratic: some inputs would take hours), reported as '> cap'.

Linearity: 4x the input may cost at most 5x the time (1 -> 4 MiB bulk, 64 ->
256 KiB and 256 KiB -> 1 MiB byte by byte).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "harness"))

KiB, MiB = 1024, 1024 * 1024
PROTOCOLS = ("netstring", "int32", "line", "banana")


# ---------------------------------------------------------------- inputs
_SINGLE_BYTES = [bytes([b]) for b in range(256)]


def one_byte_reads(data: bytes) -> list[bytes]:
    """``data`` as one-byte reads.

    The reads share the 256 one-byte objects: a million distinct ones would scatter
    ~40 MB through memory, and the cache misses would be charged to the decoder.
    """
    return [_SINGLE_BYTES[b] for b in data]


def b128(n: int) -> bytes:
    """Banana's base-128 prefix, least significant digit first."""
    out = bytearray()
    while True:
        out.append(n & 0x7F)
        n >>= 7
        if not n:
            return bytes(out)


def bulk_input(protocol: str, size: int) -> tuple[bytes, int]:
    """``size`` bytes of 10-byte frames (Banana: one list of 10-byte LONGINTs); returns (data, frames)."""
    n = size // 10
    if protocol == "netstring":
        return b"7:abcdefg," * n, n
    if protocol == "int32":
        return b"\x00\x00\x00\x06abcdef" * n, n
    if protocol == "line":
        return b"abcdefgh\r\n" * n, n
    # 2**62 needs 9 base-128 digits: prefix + type byte = 10 bytes per element.
    element = bytes([0] * 8 + [0x40, 0x85])
    return b128(n) + b"\x80" + element * n, 1


def big_frame(protocol: str, size: int) -> bytes:
    payload = bytes(i % 251 for i in range(size))
    if protocol == "netstring":
        return b"%d:%s," % (size, payload)
    if protocol == "int32":
        return size.to_bytes(4, "big") + payload
    if protocol == "line":
        return payload.replace(b"\r", b"x").replace(b"\n", b"y") + b"\r\n"
    return b128(size) + b"\x82" + payload


# ---------------------------------------------------------------- ours
def ours_decoder(protocol: str, max_length: int):
    from wirecheck.codecs.banana import BananaDecoder
    from wirecheck.codecs.intprefix import IntPrefixDecoder
    from wirecheck.codecs.lines import LineDecoder
    from wirecheck.codecs.netstring import NetstringDecoder

    if protocol == "netstring":
        return NetstringDecoder(max_length)
    if protocol == "int32":
        return IntPrefixDecoder(4, max_length)
    if protocol == "line":
        return LineDecoder(b"\r\n", max_length)
    return BananaDecoder(b"none", size_limit=max(max_length, 640 * 1024))


def time_ours(protocol: str, chunks: list[bytes], max_length: int, frames: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        decoder = ours_decoder(protocol, max_length)
        gc.collect()
        start = time.perf_counter()
        got = 0
        for chunk in chunks:
            got += len(decoder.feed(chunk))
        elapsed = time.perf_counter() - start
        if got != frames or decoder.error is not None:
            raise SystemExit(f"ours/{protocol}: decoded {got} frames, expected {frames} ({decoder.error})")
        best = min(best, elapsed)
    return best


# ---------------------------------------------------------------- twisted (child process)
def twisted_receiver(flavour: str, max_length: int):
    from twisted.internet.testing import StringTransport
    from twisted.protocols import basic
    from twisted.spread import banana

    count = [0]
    base = {
        "netstring": basic.NetstringReceiver,
        "int32": basic.Int32StringReceiver,
        "line": basic.LineReceiver,
        "line-only": basic.LineOnlyReceiver,
        "banana": banana.Banana,
    }[flavour]
    method = {"line": "lineReceived", "line-only": "lineReceived", "banana": "expressionReceived"}.get(
        flavour, "stringReceived"
    )

    class Counting(base):
        MAX_LENGTH = max_length

    setattr(Counting, method, lambda self, item: count.__setitem__(0, count[0] + 1))
    proto = Counting()
    proto.makeConnection(StringTransport())
    if flavour == "banana":
        proto._selectDialect(b"none")
    return proto, count


def child(flavour: str, kind: str, size: int) -> None:
    protocol = "line" if flavour == "line-only" else flavour
    if kind == "bulk":
        data, frames = bulk_input(protocol, size)
        chunks = [data]
    else:
        data, frames = big_frame(protocol, size), 1
        chunks = one_byte_reads(data)
    proto, count = twisted_receiver(flavour, max(size, 99999) + 16)
    gc.collect()
    start = time.perf_counter()
    for chunk in chunks:
        proto.dataReceived(chunk)
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "frames": count[0], "expected": frames}))


def time_twisted(flavour: str, kind: str, size: int, cap: float) -> tuple[float | None, str]:
    cmd = [sys.executable, __file__, "--twisted-child", flavour, kind, str(size)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return None, f"> {cap:.0f}"
    if out.returncode != 0:
        return None, "error: " + (out.stderr.strip().splitlines() or ["?"])[-1]
    result = json.loads(out.stdout)
    if result["frames"] != result["expected"]:
        return result["seconds"], f"{result['seconds']:.3f} (wrong: {result['frames']} frames)"
    return result["seconds"], f"{result['seconds']:.3f}"


# ---------------------------------------------------------------- main
def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--twisted-child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--twisted-cap", type=float, default=300.0, help="seconds before a Twisted run is stopped")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per input (best is kept)")
    parser.add_argument("--skip-twisted", action="store_true", help="time only the reference decoders")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    rows = []
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus")
    print(f"{'input':34} {'ours s':>9} {'twisted s':>12} {'speed-up':>9}")

    ours_cache: dict = {}

    def record(label, protocol, flavour, kind, size, chunks, frames, max_length):
        key = (protocol, kind, size)  # one input, timed once, whichever Twisted class it is compared with
        if key not in ours_cache:
            ours_cache[key] = time_ours(protocol, chunks, max_length, frames, args.repeat)
        ours = ours_cache[key]
        tw, tw_text = (
            (None, "skipped")
            if args.skip_twisted or flavour is None
            else time_twisted(flavour, kind, size, args.twisted_cap)
        )
        if tw is None and tw_text.startswith(">"):
            speed = f">{args.twisted_cap / ours:.0f}x"
        else:
            speed = f"{tw / ours:.1f}x" if tw else "-"
        print(f"{label:34} {ours:9.3f} {tw_text:>12} {speed:>9}", flush=True)
        rows.append(
            {
                "input": label,
                "protocol": protocol,
                "twisted": flavour,
                "kind": kind,
                "bytes": size,
                "ours_seconds": ours,
                "twisted_seconds": tw,
                "twisted_note": tw_text,
            }
        )
        return ours

    linear: list[tuple[str, float]] = []
    for protocol in PROTOCOLS:
        flavours = ["line", "line-only"] if protocol == "line" else [protocol]
        for flavour in flavours:
            times = {}
            for size in (1 * MiB, 4 * MiB):
                data, frames = bulk_input(protocol, size)
                times[size] = record(
                    f"{flavour} bulk {size // MiB} MiB", protocol, flavour, "bulk", size, [data], frames, 99999
                )
            if flavour == protocol:
                linear.append((f"{protocol} bulk 1->4 MiB", times[4 * MiB] / times[1 * MiB]))
        for flavour in flavours:
            times = {}
            for size in (64 * KiB, 256 * KiB):
                data = big_frame(protocol, size)
                chunks = one_byte_reads(data)
                times[size] = record(
                    f"{flavour} {size // KiB} KiB byte-by-byte", protocol, flavour, "bytes", size, chunks, 1, size + 16
                )
            if flavour == protocol:
                linear.append((f"{protocol} bytes 64->256 KiB", times[256 * KiB] / times[64 * KiB]))
        data = big_frame(protocol, MiB)
        chunks = one_byte_reads(data)
        one_mib = record(
            f"{protocol} 1 MiB byte-by-byte (ours only)", protocol, None, "bytes", MiB, chunks, 1, MiB + 16
        )
        linear.append(
            (
                f"{protocol} bytes 256 KiB->1 MiB",
                one_mib
                / next(
                    r["ours_seconds"]
                    for r in rows
                    if r["protocol"] == protocol and r["kind"] == "bytes" and r["bytes"] == 256 * KiB
                ),
            )
        )
        del chunks

    print("\nlinearity of the reference (time ratio for 4x the input; at most 5.0 allowed):")
    worst = 0.0
    for label, ratio in linear:
        worst = max(worst, ratio)
        print(f"  {label:34} {ratio:5.2f}")
    slower = [r["input"] for r in rows if r["twisted_seconds"] is not None and r["twisted_seconds"] < r["ours_seconds"]]
    print(f"worst ratio {worst:.2f}; inputs where Twisted was faster: {', '.join(slower) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "linearity": dict(linear)}, indent=1))
    return 0 if worst <= 5.0 and not slower else 1


if __name__ == "__main__":
    raise SystemExit(main())
