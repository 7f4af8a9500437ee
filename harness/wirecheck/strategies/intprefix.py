"""Corruptions of fixed-width length prefixes (int8, int16, int32)."""

from __future__ import annotations

from .base import Config, FamilyStrategies, replace_one

CORRUPTIONS = {
    "prefix_byte": "one byte of the length prefix changed",
    "over_max": "a frame of max_length + 1 bytes (when the prefix can say so)",
}


def _width(cfg: Config) -> int:
    return len(cfg.spec.frame_any_length(cfg.params, b""))


def kinds(cfg: Config) -> list[str]:
    fits = cfg.spec.frame_any_length(cfg.params, cfg.filler * (cfg.limit + 1)) is not None
    return ["prefix_byte", "over_max"] if fits else ["prefix_byte"]


def corrupt(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    width = _width(cfg)
    if kind == "prefix_byte":
        return replace_one(draw, piece, list(range(width)), piece[:width])
    if kind == "over_max":
        return cfg.spec.frame_any_length(cfg.params, cfg.filler * (cfg.limit + 1))
    raise ValueError(f"no intprefix corruption {kind!r}")


STRATEGIES = FamilyStrategies(CORRUPTIONS, corrupt, kinds=kinds)
