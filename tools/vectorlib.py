"""Helpers for writing golden vector files by hand.

Expectations here are written out or built by construction (the input is made from
the frames it must yield, the offset is counted in the input), never computed by
the reference codecs: ``wirecheck vectors lint`` then checks codecs and vectors
against each other.
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_NAME = "vectors.schema.json"


def ok() -> dict:
    return {"status": "ok"}


def incomplete() -> dict:
    return {"status": "incomplete"}


def close(reason: str, offset: int) -> dict:
    return {"status": "close", "reason": reason, "offset": offset}


class Family:
    """Collects groups of vectors for one file and checks their ids are unique."""

    def __init__(self, family: str, header: list[str], notes: dict) -> None:
        self.family = family
        self.header = header
        self.notes = notes
        self.groups: list[dict] = []
        self._group_objects: list[Group] = []
        self._ids: set[str] = set()

    def group(self, protocol: str, params: dict, comment: str = "") -> Group:
        g = Group(self, protocol, params, comment)
        self.groups.append(g.data)
        self._group_objects.append(g)
        return g

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
        return {
            "family": self.family,
            "schema": SCHEMA_NAME,
            "version": 1,
            "numberOfVectors": count,
            "header": self.header,
            "notes": self.notes,
            "groups": self.groups,
        }

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
        data: bytes,
        frames: list,
        outcome: dict,
        result: str | None = None,
        chunks: list[bytes] | None = None,
        alternatives: list[dict] | None = None,
        **extra,
    ) -> None:
        vid = f"{self.family.family}-{slug}"
        if vid in self.family._ids:
            raise SystemExit(f"duplicate id {vid}")
        self.family._ids.add(vid)
        for flag in flags:
            if flag not in self.family.notes:
                raise SystemExit(f"{vid}: flag {flag} has no note")
        if result is None:
            result = "invalid" if outcome["status"] == "close" else "valid"
        if chunks is not None and b"".join(chunks) != data:
            raise SystemExit(f"{vid}: chunks do not add up to the input")
        vector = {
            "id": vid,
            "description": description,
            "ref": ref,
            "flags": flags,
            "input": data.hex(),
        }
        if chunks is not None:
            vector["chunks"] = [c.hex() for c in chunks]
        vector["frames"] = [f.hex() if isinstance(f, (bytes, bytearray)) else f for f in frames]
        vector["outcome"] = outcome
        vector.update(extra)
        vector["result"] = result
        if alternatives:
            vector["alternatives"] = alternatives
        self.data["vectors"].append(vector)
