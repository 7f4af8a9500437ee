"""What every strategy works from: a resolved configuration, and each family's declaration.

Each protocol family has a module here named after it (``wirecheck.strategies.lines``
for the ``lines`` family) holding a ``STRATEGIES = FamilyStrategies(...)``: its corruption
kinds and how to apply them, and, where the generic byte-payload strategies do not fit,
its own payloads.  The generic strategies (``frames``, ``streams``, ``hostile_streams``,
...) find it through ``family_strategies``; adding a protocol family is adding a module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from wirecheck import protocols
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.errors import ParameterError

#: Bytes that mean something to some protocol: digits, ':', ',', CR, LF, NUL, type bytes.
INTERESTING_BYTES = (0x00, 0x0A, 0x0D, 0x2C, 0x30, 0x31, 0x39, 0x3A, 0x2B, 0x2D, 0x20, 0x7F, 0x80, 0x82, 0x87, 0xFF)
#: Byte strings that are not UTF-8, so text-minded implementations get a chance to choke.
NOT_UTF8 = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80abc")


@dataclass(frozen=True)
class Config:
    """A protocol with a complete configuration, and what strategies derive from it."""

    spec: ProtocolSpec
    params: dict
    #: The longest payload a receiver must accept (None for structured values).
    limit: int | None
    #: Bytes with a meaning inside payloads (a line delimiter): sprinkled in, and never used as filler.
    special: bytes = b""

    @property
    def protocol(self) -> str:
        return self.spec.name

    @property
    def filler(self) -> bytes:
        """A byte that can pad any payload: never part of ``special``."""
        return next(c for c in (b"a", b"b", b"c") if c not in self.special)

    def encoder(self) -> Callable[[Any], bytes]:
        """value -> its canonical frame."""
        return self.spec.encoder(self.params, None)

    def fit(self, payload: bytes) -> bytes:
        """``payload`` changed as little as possible so that it decodes back as itself."""
        return family_strategies(self.spec).fit(self, payload)


def _as_is(cfg: Config, payload: bytes) -> bytes:
    return payload


def _every_kind(cfg: Config) -> list[str]:
    return list(family_strategies(cfg.spec).corruptions)


def _no_special(params: Mapping) -> bytes:
    return b""


@dataclass(frozen=True)
class FamilyStrategies:
    """What a protocol family adds to the generic strategies."""

    #: kind -> what the corruption does (public: ``wirecheck.strategies.CORRUPTIONS``).
    corruptions: Mapping[str, str]
    #: (draw, kind, one encoded frame, cfg) -> the corrupted bytes that replace it.
    corrupt: Callable[[Any, str, bytes, Config], bytes]
    #: cfg -> the corruption kinds that make sense in this configuration.
    kinds: Callable[[Config], list[str]] = _every_kind
    #: params -> bytes with a meaning inside payloads (``Config.special``).
    special: Callable[[Mapping], bytes] = _no_special
    #: (cfg, payload) -> the payload made valid for this configuration (``Config.fit``).
    fit: Callable[[Config, bytes], bytes] = _as_is
    #: cfg -> a strategy of payloads, for families whose frames are not plain bytes.
    payloads: Callable[[Config], Any] | None = None
    #: (index, template) -> a numbered burst value, for families whose frames are not plain bytes.
    numbered: Callable[[int, Any], Any] | None = None
    #: Corruption kinds that break a structured protocol's limits (its max_length boundary).
    limit_kinds: tuple[str, ...] = ()
    #: property name -> the flag, in this family's vector notes, of a vector that property finds.
    property_flags: Mapping[str, str] = field(default_factory=dict)


def family_strategies(spec: ProtocolSpec) -> FamilyStrategies:
    """The ``STRATEGIES`` of the protocol's family module."""
    name = f"{__package__}.{spec.family}"
    try:
        return importlib.import_module(name).STRATEGIES
    except (ModuleNotFoundError, AttributeError) as exc:
        raise ParameterError(f"protocol {spec.name} has no strategies: {name}.STRATEGIES ({exc})") from None


def config(protocol: str, params: Mapping | None = None) -> Config:
    """``protocol`` with ``params`` completed by its defaults (ParameterError if invalid)."""
    spec = protocols.get(protocol)
    full = protocols.complete(spec, params)
    if spec.handshake_role(full) is not None:
        raise ParameterError("stream strategies cover streams of frames; handshakes have their own tests")
    family = family_strategies(spec)
    return Config(spec, full, spec.limit(full), family.special(full))


def bytes_with_interesting(max_size: int, extra: bytes = b""):
    """Arbitrary bytes with a few protocol-significant bytes put in at drawn places.

    One binary draw plus a few insertions: drawing byte by byte would let Hypothesis
    weight each byte, but costs a draw per byte, which dominates a property's time.
    """
    special = st.sampled_from(sorted(set(INTERESTING_BYTES) | set(extra)))
    binary, insertions = st.binary(max_size=max_size), st.integers(0, 3 if max_size else 0)

    @st.composite
    def build(draw):
        data = bytearray(draw(binary))
        for _ in range(draw(insertions)):
            at = draw(st.integers(0, len(data)))
            data[at:at] = bytes([draw(special)])
        return bytes(data[:max_size])

    return build()


def replace_one(draw, piece: bytes, positions: list[int], avoid: bytes) -> bytes:
    """``piece`` with one byte at one of ``positions`` changed, half the time to a byte that
    means something to some protocol (CR, LF, ':', a digit, ...), so near-misses get tried."""
    i = draw(st.sampled_from(positions))
    special = [b for b in INTERESTING_BYTES if b not in avoid]
    allowed = [b for b in range(256) if b not in avoid]
    pool = special if special and draw(st.booleans()) else allowed
    byte = pool[draw(st.integers(0, len(pool) - 1))]
    return piece[:i] + bytes([byte]) + piece[i + 1 :]
