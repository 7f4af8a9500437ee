"""How many bytes a local TCP endpoint has received but not yet read, asked of Linux's sock_diag.

A cost probe that writes one byte at a time wants each byte read alone: otherwise the
kernel hands a slow endpoint everything that queued up while it was busy, and a decoder
whose cost per read grows with its buffer looks linear because it is called less often.
The endpoint's socket is on this machine (loopback), so its receive queue can be read:
one netlink request per question (about 16 microseconds), answered for exactly the one
socket named by its ports, which ``/proc/net/tcp`` (a scan of every socket) is not.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import time

from wirecheck.errors import TargetTimeout

_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLM_F_REQUEST = 1
_NO_COOKIE = 0xFFFFFFFF
#: Offset of ``idiag_rqueue`` in a reply: netlink header (16), family..retrans (4), the socket id (48), expires (4).
_RQUEUE_AT = 16 + 4 + 48 + 4


class ReceiveQueues:
    """Receive-queue lengths of loopback IPv4 TCP sockets, by their ports."""

    def __init__(self, sock: socket.socket, address: bytes) -> None:
        self.sock, self.address = sock, address

    @classmethod
    def open(cls, host: str) -> ReceiveQueues | None:
        """None when ``host`` is not an IPv4 loopback address or the kernel does not answer."""
        try:
            address = ipaddress.IPv4Address(socket.gethostbyname(host))
        except (OSError, ValueError):
            return None
        if not address.is_loopback or not hasattr(socket, "AF_NETLINK"):
            return None
        try:
            sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG)
            sock.settimeout(1.0)
        except OSError:
            return None
        return cls(sock, address.packed)

    def length(self, local_port: int, remote_port: int) -> int | None:
        """Bytes queued on the socket bound to ``local_port`` and connected to ``remote_port``."""
        sockid = (struct.pack(">HH", local_port, remote_port) + self.address + bytes(12) + self.address + bytes(12)
                  + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE))  # fmt: skip
        request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + sockid
        header = struct.pack("=IHHII", 16 + len(request), _SOCK_DIAG_BY_FAMILY, _NLM_F_REQUEST, 0, 0)
        try:
            self.sock.send(header + request)
            reply = self.sock.recv(8192)
        except OSError:
            return None
        if len(reply) < _RQUEUE_AT + 4 or struct.unpack_from("=H", reply, 4)[0] != _SOCK_DIAG_BY_FAMILY:
            return None  # an error reply: the socket is gone
        return struct.unpack_from("=I", reply, _RQUEUE_AT)[0]

    def wait_empty(self, local_port: int, remote_port: int, until: float) -> None:
        """Return once the endpoint has read everything sent to it (or its socket is gone)."""
        while True:
            queued = self.length(local_port, remote_port)
            if not queued:
                return
            if time.monotonic() > until:
                raise TargetTimeout(f"the endpoint left {queued} bytes unread")

    def close(self) -> None:
        self.sock.close()
