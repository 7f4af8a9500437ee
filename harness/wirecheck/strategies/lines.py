"""Line corruptions (the delimiter, an over-long line) and lines that decode back as themselves."""

from __future__ import annotations

from collections.abc import Mapping

from .base import Config, FamilyStrategies, replace_one

CORRUPTIONS = {
    "delimiter": "one byte of a delimiter changed",
    "over_max": "a line of max_length + 1 bytes",
}


def line_safe(payload: bytes, delimiter: bytes) -> bytes:
    """``payload``, changed as little as possible so that it decodes back as one line."""
    if delimiter not in payload and (payload + delimiter).find(delimiter) == len(payload):
        return payload
    swap = b"a" if delimiter[:1] != b"a" else b"b"
    return payload.replace(delimiter[:1], swap)


def _delimiter(params: Mapping) -> bytes:
    return bytes.fromhex(params["delimiter"])


def corrupt(draw, kind: str, piece: bytes, cfg: Config) -> bytes:
    delimiter = _delimiter(cfg.params)
    if kind == "delimiter":
        return replace_one(draw, piece, list(range(len(piece) - len(delimiter), len(piece))), delimiter)
    if kind == "over_max":
        return cfg.filler * (cfg.limit + 1) + delimiter
    raise ValueError(f"no line corruption {kind!r}")


STRATEGIES = FamilyStrategies(
    CORRUPTIONS,
    corrupt,
    special=_delimiter,
    fit=lambda cfg, payload: line_safe(payload, cfg.special),
)
