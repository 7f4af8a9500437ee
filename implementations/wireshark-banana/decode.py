"""Wireshark's Banana dissector as a stdio decoder (docs/stdio-contract.md), decode-only.

Reads the stream in the chunked form (each read as a 4-byte big-endian length and its bytes),
writes a libpcap capture of one TCP connection (IPv4, DLT_RAW: SYN, SYN-ACK, ACK, then one
client-to-server segment per read, with consecutive sequence numbers) and pipes it to
``tshark -d tcp.port==8787,banana -T pdml``.  The PDML tree gives each dissected Banana item with
its position and value; the top-level items of a segment are contiguous, so their ends delimit
the expressions.  Each complete top-level expression is written as ``{"frame": HEX}``, HEX being
the values the dissector shows, encoded canonically (``--frames bytes``: the input bytes the
expression covers).  Values, by default, because the dissector misreads multi-byte prefixes
(``00 01 81``, 128, shows as 1): its bytes would hide that from wirecheck's comparison by value,
and an expression it delimits wrongly would not decode at all.

Errors are what tshark flags at Error severity: the dissector's expert infos (unknown type, too
many prefix bytes, value or length too large, more than one byte before a pb VOCAB) and malformed
packets (an exception: an expression cut by the end of its segment, or the tree depth limit).  The
dissector adds its expert infos to no tree item, so PDML does not show them: only the expert tap
(``-z expert,error``, counts per message) and the packet's severity column do.  When the tap
reports one, a second tshark run dissects each top-level expression (and each segment's
undissected rest) as a packet of its own, behind a harmless ``00 81`` (INT 0): the dissector keeps
no state, so an expression raises the same expert infos alone as in its segment, and the first
packet at Error severity is the first invalid expression.

The dissector does not reassemble (it never asks TCP for more data) and dissects every segment
from its first byte: an expression cut by the end of a read is malformed (STRING, FLOAT) or
silently incomplete (a LIST missing elements, prefix digits with no type byte), and the next
segment is dissected from its first byte as if an expression started there.  This adapter reports
that as it is: a malformed segment is an error, an incomplete rest is dropped (noted on standard
error).  At the end of the stream an incomplete rest is a partial expression and is dropped, even
when it is malformed.  Segments of fewer than 2 bytes are not dissected at all.

Exit status: 0 (end of stream), 1 (an error line was written), 2 (the adapter failed: tshark
missing, timed out, or gave output it could not read; the reason is on standard error).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.parsers.expat

CLIENT = bytes([10, 0, 0, 1])
SERVER = bytes([10, 0, 0, 2])
CLIENT_PORT = 40000
SERVER_PORT = 8787  # Twisted's Perspective Broker port
HANDSHAKE_PACKETS = 3
CLIENT_ISN = 1000
SERVER_ISN = 5000

MAX_FRAME = 262144  # tshark's largest packet (WTAP_MAX_PACKET_SIZE_STANDARD)
MAX_SEGMENT = MAX_FRAME - 40 - 2  # TCP payload of one packet: 40 bytes of IPv4 and TCP headers, PAD
MAX_INPUT = 64 * 1024 * 1024  # bytes of stream the adapter accepts
MAX_PACKETS = 100_000  # tshark dissects about 5,000 to 10,000 packets a second
MAX_OUTPUT = 512 * 1024 * 1024  # bytes of tshark output read
MAX_TREE_DEPTH = 1024  # nesting of PDML elements read (tshark's own limit is 500)
TSHARK_TIMEOUT = 20.0  # seconds per tshark run
DEADLINE = 40.0  # seconds for all the tshark runs of one stream
MAX_NOTES = 20

# A personal configuration folder that does not exist (tshark reads it, never creates it): no
# user preference changes the dissection.  (A path that is not a directory makes tshark 4.0 crash.)
CONFIG_DIR = os.path.join(tempfile.gettempdir(), f"wireshark-banana-no-profile-{os.getpid()}-{os.urandom(6).hex()}")
SEVERITY_COLUMN = 'gui.column.format:"No.","%m","Severity","%a"'
TAP = ["-z", "expert,error"]  # the expert tap: counts per message, of Error severity
PAD = b"\x00\x81"  # INT 0: put before each expression dissected alone

_DEADLINE = [time.monotonic() + DEADLINE]  # reset by main()

LIST, INT, STRING, NEG, FLOAT, LONGINT, LONGNEG, VOCAB = range(0x80, 0x88)
INT_MAX = 2**31 - 1
MALFORMED = "Malformed Packet (Exception occurred)"


class AdapterError(Exception):
    """The adapter could not get a verdict from tshark (exit status 2)."""


# --- input -------------------------------------------------------------------------------------


def read_chunks(stream) -> list[bytes]:
    """The reads of the chunked form: 4-byte big-endian length, then that many bytes."""
    reads = []
    total = 0
    while True:
        header = stream.read(4)
        if not header:
            return reads
        if len(header) < 4:
            raise AdapterError("standard input ends inside a chunk header")
        (size,) = struct.unpack("!I", header)
        total += size
        if total > MAX_INPUT:
            raise AdapterError(f"more than {MAX_INPUT} bytes of input")
        data = stream.read(size)
        if len(data) < size:
            raise AdapterError("standard input ends inside a chunk")
        if data:
            reads.append(data)


# --- the capture -------------------------------------------------------------------------------


def _checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071): a sum of 16-bit words is the number modulo 0xffff."""
    if len(data) % 2:
        data += b"\x00"
    number = int.from_bytes(data, "big")
    total = number % 0xFFFF
    if total == 0 and number:
        total = 0xFFFF
    return ~total & 0xFFFF


def _packet(src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes) -> bytes:
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack, 5 << 4, flags, 65535, 0, 0)
    length = 40 + len(payload)
    if length <= 0xFFFF:
        pseudo = src + dst + struct.pack("!BBH", 0, 6, 20 + len(payload))
        tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp + payload)) + tcp[18:]
    else:
        length = 0  # as captured from TSO hardware: Wireshark takes the length from the capture
        # (and the TCP checksum stays 0: tshark checks none by default)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return ip + tcp + payload


def build_pcap(payloads: list[bytes]) -> bytes:
    """A libpcap file (DLT_RAW) of one connection: the handshake, then one segment per payload."""
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, MAX_FRAME, 101))
    c, s = CLIENT_PORT, SERVER_PORT
    packets = [
        _packet(CLIENT, SERVER, c, s, CLIENT_ISN, 0, 0x02, b""),
        _packet(SERVER, CLIENT, s, c, SERVER_ISN, CLIENT_ISN + 1, 0x12, b""),
        _packet(CLIENT, SERVER, c, s, CLIENT_ISN + 1, SERVER_ISN + 1, 0x10, b""),
    ]
    seq = CLIENT_ISN + 1
    for index, packet in enumerate(packets):
        out += struct.pack("<IIII", 1, index, len(packet), len(packet)) + packet
    for index, payload in enumerate(payloads, start=len(packets)):
        packet = _packet(CLIENT, SERVER, c, s, seq, SERVER_ISN + 1, 0x18, payload)  # PSH, ACK
        seq += len(payload)
        out += struct.pack("<IIII", 1 + index // 1_000_000, index % 1_000_000, len(packet), len(packet)) + packet
    return bytes(out)


# --- tshark ------------------------------------------------------------------------------------


def run_tshark(args: list[str], pcap: bytes) -> bytes:
    """Run tshark on ``pcap`` (piped to its standard input); its standard output, bounded."""
    command = ["tshark", "-n", "-r", "-", "-d", f"tcp.port=={SERVER_PORT},banana", *args]
    env = dict(os.environ, WIRESHARK_CONFIG_DIR=CONFIG_DIR)
    timeout = min(TSHARK_TIMEOUT, _DEADLINE[0] - time.monotonic())
    if timeout <= 0:
        raise AdapterError(f"the tshark runs took more than {DEADLINE:g} s")
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except OSError as exc:
        raise AdapterError(f"cannot run tshark: {exc}") from exc
    stderr_tail = bytearray()
    timed_out = threading.Event()

    def feed() -> None:
        try:
            proc.stdin.write(pcap)
            proc.stdin.close()
        except OSError:
            pass  # tshark stopped reading; its status says why

    def drain() -> None:
        while True:
            block = proc.stderr.read(65536)
            if not block:
                return
            stderr_tail.extend(block)
            del stderr_tail[:-4096]

    def expire() -> None:
        timed_out.set()
        proc.kill()

    threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
    timer = threading.Timer(timeout, expire)
    for thread in threads:
        thread.start()
    timer.start()
    out = bytearray()
    try:
        while True:
            block = proc.stdout.read(1 << 20)
            if not block:
                break
            out += block
            if len(out) > MAX_OUTPUT:
                proc.kill()
                raise AdapterError(f"tshark wrote more than {MAX_OUTPUT} bytes")
        status = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for thread in threads:
            thread.join(5)
    if timed_out.is_set():
        raise AdapterError(f"tshark took more than {timeout:.3g} s")
    if status != 0:
        tail = bytes(stderr_tail).decode("utf-8", "replace").strip().splitlines()[-3:]
        raise AdapterError(f"tshark exited with status {status}: {' / '.join(tail)}")
    return bytes(out)


def expert_errors(text: str) -> list[tuple[int, str, str, str]]:
    """The Banana rows of a ``-z expert,error`` table: (count, group, protocol, summary)."""
    rows = []
    section = False
    for line in text.splitlines():
        if line.startswith("Errors ("):
            section = True
            continue
        if not section or not line.strip() or line.startswith("="):
            continue
        if not line.startswith(" "):
            section = False
            continue
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[0].isdigit() and parts[2] == "Banana":
            rows.append((int(parts[0]), parts[1], parts[2], parts[3]))
    return rows


# --- the PDML tree -----------------------------------------------------------------------------


class Node:
    __slots__ = ("children", "complete", "end", "name", "pos", "show", "showname", "size", "start", "value")

    def __init__(self, name: str, pos: int, size: int, show: str, value: str, showname: str = "") -> None:
        self.name = name
        self.showname = showname
        self.pos = pos
        self.size = size
        self.show = show
        self.value = value
        self.children: list[Node] = []
        self.start = 0
        self.end = 0
        self.complete = True


class Packet:
    def __init__(self) -> None:
        self.number = 0
        self.base = -1  # position of the Banana payload in the frame; -1: not dissected as Banana
        self.root: Node | None = None
        self.malformed = ""


def parse_pdml(data: bytes) -> dict[int, Packet]:
    """Packets by frame number, with their Banana tree (streamed through expat, no recursion)."""
    packets: dict[int, Packet] = {}
    elements: list[Node | None] = []  # one entry per open element: its Banana node, if any
    nodes: list[Node] = []  # the open Banana nodes
    state = {"packet": None}

    def start(tag: str, attrs: dict) -> None:
        if len(elements) >= MAX_TREE_DEPTH:
            raise AdapterError(f"PDML nested deeper than {MAX_TREE_DEPTH}")
        packet = state["packet"]
        name = attrs.get("name", "")
        node = None
        if tag == "packet":
            packet = state["packet"] = Packet()
        elif packet is None:
            pass
        elif tag == "field" and name == "num" and not packet.number and not nodes:
            packet.number = int(attrs["show"])
        elif tag == "proto" and name == "banana" and packet.root is None:
            packet.base = int(attrs["pos"])
            node = packet.root = Node("root", packet.base, 0, "", "")
        elif tag == "proto" and name == "_ws.malformed" and not packet.malformed:
            text = attrs.get("showname", "").strip("[]")  # "[Malformed Packet: Banana]", "[Dissector bug, ...]"
            packet.malformed = MALFORMED if text.startswith("Malformed Packet") else text or MALFORMED
        elif tag == "field" and nodes and name.startswith("banana."):
            node = Node(
                name,
                int(attrs.get("pos", "0")) - packet.base,
                int(attrs.get("size", "0")),
                attrs.get("show", ""),
                attrs.get("value", ""),
                attrs.get("showname", ""),
            )
            nodes[-1].children.append(node)
        elements.append(node)
        if node is not None:
            nodes.append(node)

    def end(tag: str) -> None:
        node = elements.pop()
        if node is not None:
            nodes.pop()
        if tag == "packet" and state["packet"] is not None:
            packet = state["packet"]
            packets[packet.number] = packet
            state["packet"] = None

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise AdapterError(f"unreadable PDML from tshark: {exc}") from exc
    return packets


SCALARS = ("banana.int", "banana.neg_int", "banana.lg_int", "banana.lg_neg_int", "banana.string", "banana.float")


def measure(root: Node, data: bytes) -> None:
    """Set each node's start and end (offsets in its segment) and completeness, in stream order.

    An element starts where the one before it ended.  A LIST item covers its prefix, and its
    elements follow the 0x80 after it; STRING and FLOAT items cover what follows the type byte,
    the others their prefix and type byte.  A VOCAB item is the byte two before the end of the
    element (with no prefix: the byte before the element, or the segment's last byte), so its end
    is found as the dissector finds it: the first type byte 0x80..0x87 from the element's start.
    """
    cursor = 0
    stack: list[tuple[Node, bool]] = [(child, False) for child in reversed(root.children)]
    while stack:
        node, leaving = stack.pop()
        if leaving:  # a LIST whose elements are done
            node.end = cursor
            node.complete = len(node.children) == int(node.show or "0") and all(c.complete for c in node.children)
            continue
        node.start = cursor
        kind = node.name
        if kind == "banana.list":
            if node.pos != cursor:
                raise AdapterError(f"a LIST item at {node.pos} where an element starts at {cursor}")
            cursor = node.pos + node.size + 1
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children))
            continue
        if kind == "banana.pb":
            at = cursor
            while at < len(data) and not 0x80 <= data[at] <= 0x87:
                at += 1
            if at >= len(data) or data[at] != VOCAB:
                raise AdapterError(f"a pb item with no 0x87 after {cursor}")
            node.end = at + 1
        elif kind in SCALARS:
            if node.pos < cursor:
                raise AdapterError(f"a {kind} item at {node.pos} where an element starts at {cursor}")
            node.end = node.pos + node.size
        else:
            raise AdapterError(f"unknown Banana field {kind!r} in tshark's tree")
        if not cursor < node.end <= len(data) or node.pos < 0:
            raise AdapterError(f"a {kind} item at {node.pos}..{node.end} where an element starts at {cursor}")
        cursor = node.end


class Segment:
    """One read (or a part of a read longer than a packet), as tshark dissected it."""

    def __init__(self, read: int, offset: int, data: bytes) -> None:
        self.read = read  # index of the read it belongs to
        self.offset = offset  # of its first byte in the stream
        self.data = data
        self.dissected = False
        self.items: list[tuple[int, int, Node]] = []  # complete top-level expressions
        self.rest = len(data)  # offset of what follows them (an incomplete expression or nothing)
        self.malformed = ""


def split_segment(segment: Segment, packet: Packet | None) -> None:
    if packet is None or packet.root is None:
        segment.rest = 0
        return
    segment.dissected = True
    segment.malformed = packet.malformed
    measure(packet.root, segment.data)
    start = 0
    for node in packet.root.children:
        if not node.complete:
            break
        segment.items.append((start, node.end, node))
        start = node.end
    segment.rest = start


# --- values (--frames values) ------------------------------------------------------------------


def _b128(value: int, out: bytearray) -> None:
    if value == 0:
        out.append(0)
    while value:
        out.append(value & 0x7F)
        value >>= 7


def encode_values(root: Node, dialect: str) -> bytes:
    """What the dissector shows, encoded canonically: its values, not the input's bytes.

    LONGINT and LONGNEG are the exception: the dissector shows their bytes, not a value.  A VOCAB
    item the dialect has no word for (any VOCAB in none; ids 0 and above 31 in pb) is shown by the
    dissector as its word, or as "Unknown (0xNN)": it is written as a STRING of that text, a
    value wirecheck can compare.
    """
    out = bytearray()
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.name
        if kind == "banana.list":
            _b128(len(node.children), out)
            out.append(LIST)
            stack.extend(reversed(node.children))
        elif kind in ("banana.int", "banana.neg_int"):
            value = int(node.show)
            _b128(abs(value), out)
            if value < 0:
                out.append(NEG if value >= -(2**31) else LONGNEG)
            else:
                out.append(INT if value <= INT_MAX else LONGINT)
        elif kind == "banana.string":
            content = bytes.fromhex(node.value)
            _b128(len(content), out)
            out.append(STRING)
            out += content
        elif kind == "banana.float":
            out.append(FLOAT)
            out += bytes.fromhex(node.value)
        elif kind == "banana.pb":
            word = node.showname.partition(": ")[2]  # "pb Profile Value: None (0x01)"
            if dialect == "pb" and not word.startswith("Unknown"):
                _b128(int(node.show, 16), out)  # "0x01" (value, from pos, is wrong when pos wraps)
                out.append(VOCAB)
            else:
                text = (word.rpartition(" (")[0] if not word.startswith("Unknown") else word).encode()
                _b128(len(text), out)
                out.append(STRING)
                out += text
        else:  # LONGINT, LONGNEG
            out += bytes.fromhex(node.value)
    return bytes(out)


# --- the verdict -------------------------------------------------------------------------------


def segments_of(reads: list[bytes]) -> list[Segment]:
    segments = []
    offset = 0
    for index, data in enumerate(reads):
        for at in range(0, len(data), MAX_SEGMENT):
            segments.append(Segment(index, offset + at, data[at : at + MAX_SEGMENT]))
        offset += len(data)
    if len(segments) > MAX_PACKETS:
        raise AdapterError(f"{len(segments)} reads: more than {MAX_PACKETS} packets for tshark")
    return segments


def locate_error(segments: list[Segment]) -> tuple[Segment, int, list[str]] | None:
    """Dissect each expression (and each rest) alone: the first at Error severity, with its messages."""
    candidates = []  # (segment, start, end)
    for segment in segments:
        if not segment.dissected:
            continue
        candidates.extend((segment, start, end) for start, end, _ in segment.items)
        if segment.rest < len(segment.data):
            candidates.append((segment, segment.rest, len(segment.data)))
    pcap = build_pcap([PAD + seg.data[start:end] for seg, start, end in candidates])
    out = run_tshark(
        ["-o", SEVERITY_COLUMN, "-V", "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Severity", *TAP],
        pcap,
    ).decode("utf-8", "replace")
    first = None
    for line in out.splitlines():
        number, _, severity = line.partition("\t")
        if number.isdigit() and severity.strip() == "Error" and int(number) > HANDSHAKE_PACKETS:
            first = int(number)
            break
    if first is None:
        return None
    rows = expert_errors(out)
    summaries = list(dict.fromkeys(row[3] for row in rows))
    if len(summaries) != 1 and first != HANDSHAKE_PACKETS + len(candidates):
        # Several messages over several packets: ask for this packet's own.
        text = run_tshark(["-q", "-z", f"expert,error,frame.number=={first}"], pcap).decode("utf-8", "replace")
        summaries = list(dict.fromkeys(row[3] for row in expert_errors(text)))
    segment, start, _ = candidates[first - HANDSHAKE_PACKETS - 1]
    return segment, start, summaries


def decode(reads: list[bytes], frames: str, dialect: str) -> tuple[list[str], str | None, list[str]]:
    """(frames in hex, the error or None, notes for standard error)."""
    segments = segments_of(reads)
    pcap = build_pcap([segment.data for segment in segments])
    out = run_tshark(["-Y", "banana", "-T", "pdml", "-J", "banana", *TAP], pcap)
    cut = out.rfind(b"</pdml>")
    if cut < 0:
        raise AdapterError("no PDML from tshark")
    packets = parse_pdml(out[: cut + len(b"</pdml>")])
    rows = expert_errors(out[cut:].decode("utf-8", "replace"))
    for index, segment in enumerate(segments):
        split_segment(segment, packets.get(HANDSHAKE_PACKETS + 1 + index))

    # Where is the first error, if any?  (segment, offset in it, messages)
    error_at: tuple[Segment, int, list[str]] | None = None
    if any(row[3] != MALFORMED for row in rows):
        error_at = locate_error(segments)
        if error_at is None:
            raise AdapterError(f"tshark reported {rows[0][3]!r}, but on no expression dissected alone")
    elif rows or any(segment.malformed for segment in segments):
        # Only exceptions: each is in the first incomplete expression of its segment.
        segment = next((segment for segment in segments if segment.malformed), None)
        if segment is None:
            raise AdapterError(f"tshark reported {rows[0][3]!r}, but no packet is malformed")
        error_at = (segment, segment.rest, [segment.malformed])

    notes = []
    last = segments[-1] if segments else None
    cut_only = False  # the error is only an exception in an expression cut by the end of its segment
    if error_at is not None:
        segment, start, messages = error_at
        cut_only = start == segment.rest and all(m == MALFORMED for m in messages)
        if segment is last and cut_only:
            error_at = None  # a partial expression at the end of the stream: dropped below

    found: list[str] = []
    for segment in segments:
        for start, end, node in segment.items:
            if error_at is not None and segment is error_at[0] and start >= error_at[1]:
                break
            data = segment.data[start:end] if frames == "bytes" else encode_values(node, dialect)
            found.append(data.hex())
        if error_at is not None and segment is error_at[0]:
            segment, start, messages = error_at
            reason = "; ".join(m.strip() for m in messages) or "tshark: Error severity"
            if cut_only:
                reason += (
                    f" (an expression cut by the end of the TCP segment of read {segment.read + 1}:"
                    " the dissector does not reassemble)"
                )
            return found, reason, notes
        if segment.rest < len(segment.data) and segment is not last:
            what = "not dissected (fewer than 2 bytes)" if not segment.dissected else "not a complete expression"
            notes.append(
                f"read {segment.read + 1}: {len(segment.data) - segment.rest} bytes at its end {what};"
                " the dissector does not carry them into the next read"
            )
        elif segment.rest < len(segment.data):
            how = "; tshark marks the packet malformed" if segment.malformed else ""
            notes.append(
                f"the stream ends inside an expression ({len(segment.data) - segment.rest} bytes{how}): dropped"
            )
    return found, None, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dialect",
        choices=("none", "pb"),
        default="none",
        help="the dissector knows no dialects: this only says how a VOCAB it accepts is written (--frames values)",
    )
    parser.add_argument(
        "--frames",
        choices=("values", "bytes"),
        default="values",
        help="values (default): the dissector's values, encoded canonically; bytes: the input bytes of each"
        " expression as the dissector delimits it (hides the values it misreads)",
    )
    parser.add_argument("--pcap", metavar="FILE", help="also write the capture here, to open in Wireshark")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    _DEADLINE[0] = time.monotonic() + DEADLINE
    try:
        reads = read_chunks(sys.stdin.buffer)
        if args.pcap:
            with open(args.pcap, "wb") as f:
                f.write(build_pcap([s.data for s in segments_of(reads)]))
        found, error, notes = decode(reads, args.frames, args.dialect)
    except AdapterError as exc:
        print(f"wireshark-banana: {exc}", file=sys.stderr)
        return 2
    for note in notes[:MAX_NOTES]:
        print(f"wireshark-banana: {note}", file=sys.stderr)
    if len(notes) > MAX_NOTES:
        print(f"wireshark-banana: ... and {len(notes) - MAX_NOTES} more such notes", file=sys.stderr)
    out = sys.stdout
    for frame in found:
        out.write(json.dumps({"frame": frame}) + "\n")
    if error is not None:
        out.write(json.dumps({"error": error}) + "\n")
    out.flush()
    return 1 if error is not None else 0


if __name__ == "__main__":
    sys.exit(main())
