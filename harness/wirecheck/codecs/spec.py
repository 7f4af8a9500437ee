"""What a codec module declares about its protocols, for the registry (``wirecheck.protocols``).

Each codec module ends with a ``PROTOCOLS`` tuple of ``ProtocolSpec``: the protocol's
name, its vector family, its parameters with defaults and limits, how to build a
decoder and an encoder from a configuration, its close reasons, and the few facts the
layers above need to stay protocol-agnostic (where a frame is worth cutting, how to
frame a payload the maximum forbids, which other readings a conforming receiver may
give).  The registry discovers these tuples; nothing above the codecs names a protocol.

A *configuration* is a dict of parameter values in their JSON form, exactly as a vector
group's ``params`` holds them: integers, booleans, strings, lists of strings, and bytes
as lowercase hex.  Hooks receive complete configurations (every applicable parameter
present).  Nothing here does I/O or imports the rest of wirecheck.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: How a parameter's value is written: "int" (a whole number), "bytes" (hex in JSON; names
#: like ``crlf`` or ``hex:...`` on the command line), "bool", "choice" (one of ``choices``),
#: "names" (a non-empty list of non-empty strings, comma-separated on the command line).
PARAM_KINDS = ("int", "bytes", "bool", "choice", "names")

Config = Mapping[str, Any]


@dataclass(frozen=True)
class Param:
    """One parameter of a protocol."""

    name: str
    kind: str
    default: Any
    help: str
    #: int: the smallest and largest value; bytes: the shortest and longest value.
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    #: bytes parameters: command-line names for common values (``crlf`` -> ``b"\\r\\n"``).
    aliases: Mapping[str, bytes] = field(default_factory=dict)
    #: The parameter applies only when other parameters have one of these values
    #: (Banana's ``dialect`` only for ``role`` peer); elsewhere it must be absent.
    when: Mapping[str, tuple] = field(default_factory=dict)
    #: bool parameters: the command-line word for False besides leaving the flag out (``lenient``).
    negation: str = ""
    #: False for parameters that describe a vector group but not an endpoint (Banana's ``role``:
    #: an endpoint plays whatever side it plays; ``expand`` maps an endpoint to its groups).
    endpoint: bool = True

    def __post_init__(self) -> None:
        if self.kind not in PARAM_KINDS:
            raise ValueError(f"parameter {self.name}: kind {self.kind!r} is not one of {PARAM_KINDS}")

    def applies(self, config: Config) -> bool:
        """Does this parameter belong in ``config`` (its ``when`` holds)?"""
        return all(config.get(key) in values for key, values in self.when.items())


def no_alternative(config: Config) -> None:
    return None


def no_early_close(config: Config, tail: bytes) -> None:
    return None


def only_itself(config: Config) -> list[Config]:
    return [config]


def no_handshake(config: Config) -> None:
    return None


def max_length_limit(config: Config) -> int | None:
    return config.get("max_length")


@dataclass(frozen=True)
class ProtocolSpec:
    """One protocol, declared once.  See the module docstring for what a configuration is."""

    #: The protocol's name: ``--protocol NAME``, a vector group's ``protocol``.
    name: str
    #: The vector file it lives in (``vectors/FAMILY.json``) and its strategy module
    #: (``wirecheck.strategies.FAMILY``).
    family: str
    #: Where it is listed among the protocols (tables, help, default runs): ascending.
    order: int
    #: One line for help texts.
    summary: str
    params: tuple[Param, ...]
    #: config -> a fresh decoder: ``feed(bytes) -> events``, ``error``, ``in_frame``, ``buffered``.
    decoder: Callable[[Config], Any]
    #: (config, dialect or None) -> frame -> its canonical bytes (raises EncodeError).  None:
    #: the dialect the configuration agreed on, if any (only handshake protocols have dialects).
    encoder: Callable[[Config, bytes | None], Callable[[Any], bytes]]
    #: Close reasons the decoder reports, with what each means.
    reasons: Mapping[str, str]
    #: True when frames are structured values (Banana), not byte payloads.
    structured: bool = False
    #: config -> the largest payload a receiver must accept (None: no such number).
    limit: Callable[[Config], int | None] = max_length_limit
    #: (config, payload) -> the frame for ``payload`` even beyond the maximum, None when the
    #: format cannot express it at all (a 256-byte payload under a one-byte prefix).
    frame_any_length: Callable[[Config, bytes], bytes | None] | None = None
    #: (config, one encoded frame) -> offsets inside it worth cutting the stream at.
    cut_points: Callable[[Config, bytes], Iterable[int]] = field(default=lambda config, frame: ())
    #: config -> a stricter configuration whose reading a receiver may always give instead
    #: (rejecting what the specification forbids is never wrong), or None.
    strict_reading: Callable[[Config], Config | None] = no_alternative
    #: (config, the unterminated tail the decoder holds) -> (reason, offset in the tail) where
    #: a receiver may already close, earlier than the reference does; None if nowhere.
    early_close: Callable[[Config, bytes], tuple[str, int] | None] = no_early_close
    #: Partial run parameters -> the vector-group configurations they stand for (Banana: an
    #: endpoint that offers dialects [pb, none] is a peer in each of them and a handshake server).
    expand: Callable[[Config], list[Config]] = only_itself
    #: config -> "server" or "client" when the configuration tests one side of an opening
    #: handshake rather than a stream of frames; None for a stream.
    handshake_role: Callable[[Config], str | None] = no_handshake
    #: Every connection opens with a handshake: the server offers dialects, the client picks one.
    handshake: bool = False

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None
