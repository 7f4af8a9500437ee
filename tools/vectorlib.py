"""Helpers for writing golden vector files by hand.

Expectations here are written out or built by construction (the input is made from
the frames it must yield, the offset is counted in the input), never computed by
the reference codecs: ``wirecheck vectors lint`` then checks codecs and vectors
against each other, at every configuration it sweeps.

A vector whose input is ``bytes`` is concrete.  One whose input is a list of pieces
(``T(...)``: bytes, ``P("delimiter")``, ``rep(...)``, ``dec(...)``, ``uint(...)``,
``vint(...)``) is a template, built from the configuration when it runs; its offsets
and cuts are expressions (strings) over the parameters (docs/vectors.md).
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_NAME = "vectors.schema.json"
VERSION = 2


def ok() -> dict:
    return {"status": "ok"}


def incomplete() -> dict:
    return {"status": "incomplete"}


def close(reason: str, offset) -> dict:
    """``offset`` is an int, or an expression over the parameters (a template's)."""
    return {"status": "close", "reason": reason, "offset": offset if isinstance(offset, int) else str(offset)}


# --- template pieces ------------------------------------------------------------------


def P(name: str, take=None) -> dict:
    """The bytes parameter ``name`` (a line delimiter), or its first ``take`` bytes."""
    return {"param": name} if take is None else {"param": name, "take": str(take)}


def rep(pattern: bytes, count) -> dict:
    """``pattern`` repeated and cut to exactly ``count`` bytes (an int or an expression)."""
    return {"repeat": pattern.hex(), "count": str(count)}


def dec(expr) -> dict:
    """The ASCII decimal digits of ``expr``."""
    return {"decimal": str(expr)}


def uint(expr, size: int) -> dict:
    """``expr`` as a ``size``-byte big-endian unsigned integer."""
    return {"uint": str(expr), "size": size}


def vint(expr) -> dict:
    """``expr`` as an unsigned LEB128 varint."""
    return {"varint": str(expr)}


def T(*parts) -> list:
    """A template's bytes: ``bytes`` become hex pieces, pieces stay as they are."""
    out = []
    for part in parts:
        if isinstance(part, (bytes, bytearray)):
            if part:
                out.append({"hex": bytes(part).hex()})
        elif isinstance(part, dict):
            out.append(part)
        else:
            raise TypeError(f"not a piece: {part!r}")
    return out


def _frame(frame):
    if isinstance(frame, (bytes, bytearray)):
        return bytes(frame).hex()
    return frame  # a piece list, or a Banana value


class Family:
    """Collects groups of vectors for one file and checks their ids are unique."""

    def __init__(self, family: str, header: list[str], notes: dict) -> None:
        self.family = family
        self.header = header
        self.notes = notes
        self.groups: list[dict] = []
        self.configurations: list[dict] = []
        self._group_objects: list[Group] = []
        self._ids: set[str] = set()

    def group(self, protocol: str, params: dict, comment: str = "") -> Group:
        g = Group(self, protocol, params, comment)
        self.groups.append(g.data)
        self._group_objects.append(g)
        return g

    def configuration(self, protocol: str, **params) -> None:
        """A configuration ``wirecheck run`` without parameter options instantiates templates at."""
        self.configurations.append({"protocol": protocol, "params": params})

    def find(self, **params) -> Group:
        """The first group whose parameters include ``params``."""
        for g in self._group_objects:
            if all(g.data["params"].get(k) == v for k, v in params.items()):
                return g
        raise KeyError(params)

    def document(self) -> dict:
        count = sum(len(g["vectors"]) for g in self.groups)
        used = {f for g in self.groups for v in g["vectors"] for f in v["flags"]}
        unused = set(self.notes) - used
        if unused:
            raise SystemExit(f"{self.family}: notes never used: {sorted(unused)}")
        doc = {
            "family": self.family,
            "schema": SCHEMA_NAME,
            "version": VERSION,
            "numberOfVectors": count,
            "header": self.header,
            "notes": self.notes,
        }
        if self.configurations:
            doc["configurations"] = self.configurations
        doc["groups"] = [g for g in self.groups if g["vectors"]]
        return doc

    def write(self, directory: Path) -> int:
        doc = self.document()
        path = directory / f"{self.family}.json"
        path.write_text(json.dumps(doc, indent=1) + "\n")
        return doc["numberOfVectors"]


class Group:
    def __init__(self, family: Family, protocol: str, params: dict, comment: str) -> None:
        self.family = family
        self.data = {"protocol": protocol, "params": params, "vectors": []}
        if comment:
            self.data["comment"] = comment

    def add(
        self,
        slug: str,
        description: str,
        ref: str,
        flags: list[str],
        data,
        frames: list,
        outcome: dict,
        result: str | None = None,
        chunks: list[bytes] | None = None,
        alternatives: list[dict] | None = None,
        requires: list[str] | None = None,
        cuts: list | None = None,
        **extra,
    ) -> None:
        """One vector: concrete when ``data`` is bytes, a template when it is a piece list."""
        vid = f"{self.family.family}-{slug}"
        if vid in self.family._ids:
            raise SystemExit(f"duplicate id {vid}")
        self.family._ids.add(vid)
        for flag in flags:
            if flag not in self.family.notes:
                raise SystemExit(f"{vid}: flag {flag} has no note")
        if result is None:
            result = "invalid" if outcome["status"] == "close" else "valid"
        template = isinstance(data, list)
        if chunks is not None and (template or b"".join(chunks) != data):
            raise SystemExit(f"{vid}: chunks must be concrete and add up to the input (templates use cuts)")
        if cuts is not None and not template:
            raise SystemExit(f"{vid}: cuts are for templates (concrete vectors use chunks)")
        vector = {"id": vid, "description": description, "ref": ref, "flags": flags}
        if requires:
            vector["requires"] = list(requires)
        vector["input"] = data if template else data.hex()
        if chunks is not None:
            vector["chunks"] = [c.hex() for c in chunks]
        if cuts is not None:
            vector["cuts"] = [str(c) for c in cuts]
        vector["frames"] = [_frame(f) for f in frames]
        vector["outcome"] = outcome
        vector.update(extra)
        vector["result"] = result
        if alternatives:
            vector["alternatives"] = [dict(a, frames=[_frame(f) for f in a["frames"]]) for a in alternatives]
        self.data["vectors"].append(vector)
