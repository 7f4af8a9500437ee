"""The request/reply protocol on the wire: frames of any registered framing, plain or numbered.

The server's side of docs/client-contract.md: what a scenario's frame items become as bytes
(a reply in the numbered profile carries the id its request came with), and what a request
frame from the client says (its id, in the numbered profile, and its text).  Frames are
encoded and decoded by the protocol registry's codecs, so every framing wirecheck knows
carries the protocol unchanged.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from wirecheck import protocols
from wirecheck.codecs.events import NOT_FRAMES, ProtocolError
from wirecheck.errors import ParameterError, Unsupported

from .scenario import Fill, FrameItem, Reply

NOTIFICATION_PREFIX = b"notif:"
_NUMBERED = re.compile(rb"([0-9]{1,18}) (.*)", re.S)
#: Framings the protocol runs over: those whose frames are byte strings.
FRAMINGS = protocols.framings()


@dataclass
class Wire:
    """One connection's framing, as the server sees it."""

    protocol: str
    params: dict
    profile: str = "plain"
    #: request text -> the id it came with (numbered profile), as the requests arrive.
    ids: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.protocol not in FRAMINGS:
            raise ParameterError(f"clients speak over {', '.join(FRAMINGS)}, not {self.protocol}")
        self.spec = protocols.get(self.protocol)
        self.config = protocols.complete(self.spec, self.params)
        self.max_length = self.config.get("max_length") or 16384
        self._decoder = self.spec.decoder(self.config)

    def payload(self, item: FrameItem) -> bytes:
        if isinstance(item, Reply):
            data = item.data.encode()
            if self.profile == "numbered":
                return self.ids.get(item.request, b"0") + b" " + data
            return data
        if isinstance(item, Fill):
            return item.char.encode()[:1] * item.size(self.max_length)
        return item.encode()

    def encode(self, items) -> bytes:
        """The frames as one byte stream (an over-long one framed all the same)."""
        out = bytearray()
        for item in items:
            payload = self.payload(item)
            if len(payload) > self.max_length and self.spec.frame_any_length is not None:
                framed = self.spec.frame_any_length(self.config, payload)
                if framed is None:
                    raise Unsupported(f"{self.protocol} cannot carry a frame of {len(payload)} bytes")
                out += framed
            else:
                out += self.spec.encoder(self.config, None)(payload)
        return bytes(out)

    def stream(self, step) -> bytes:
        """What a ``send`` step writes: its frames' bytes, truncated if it says so."""
        data = self.encode(step.frames)
        return data if step.truncate is None else data[: step.truncate]

    def client_frames(self, data: bytes) -> tuple[list[bytes], str]:
        """Request frames decoded from the client's bytes, and the framing error ('' when none)."""
        frames, error = [], ""
        for event in self._decoder.feed(data):
            if isinstance(event, ProtocolError):
                error = event.reason
            elif not isinstance(event, NOT_FRAMES):
                frames.append(event)
        return frames, error

    def request_text(self, frame: bytes) -> str:
        """The text of a request frame; in the numbered profile its id is remembered for the reply."""
        if self.profile == "numbered":
            match = _NUMBERED.fullmatch(frame)
            if match is None:
                return "\0unnumbered:" + frame.decode("utf-8", "backslashreplace")
            text = match.group(2).decode("utf-8", "backslashreplace")
            self.ids[text] = match.group(1)
            return text
        return frame.decode("utf-8", "backslashreplace")


def split_at(data: bytes, cuts) -> list[bytes]:
    """``data`` cut at the given offsets (out-of-range and repeated cuts ignored)."""
    points = sorted({c for c in cuts if 0 < c < len(data)})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]
