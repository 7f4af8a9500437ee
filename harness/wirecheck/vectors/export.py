"""Writing concrete vectors for one configuration: files a test suite in any language can read.

The files have the bundled files' format and schema, with every template instantiated
and every group's parameters complete, so a reader needs no expression language:
``wirecheck vectors lint --vectors DIR`` accepts them.
"""

from __future__ import annotations

import json
from pathlib import Path

from wirecheck import __version__
from wirecheck.fileio import write_atomically

from .model import SCHEMA_FILE, Vector, VectorSet, default_directory


def vector_json(vector: Vector) -> dict:
    """The vector as it appears in a golden file's group."""
    out: dict = {
        "id": vector.id,
        "description": vector.description,
        "ref": vector.ref,
        "flags": list(vector.flags),
        "input": vector.input.hex(),
    }
    if vector.chunks is not None:
        out["chunks"] = [c.hex() for c in vector.chunks]
    out.update(vector.expected.to_json())
    out["result"] = vector.result
    if vector.alternatives:
        out["alternatives"] = [a.to_json() for a in vector.alternatives]
    return out


def documents(vector_set: VectorSet, vectors: list[Vector], note: str) -> dict[str, dict]:
    """family -> a vector file holding ``vectors``, grouped by their (complete) parameters."""
    out: dict[str, dict] = {}
    for vector in vectors:
        doc = out.get(vector.family)
        if doc is None:
            doc = out[vector.family] = {
                "family": vector.family,
                "schema": SCHEMA_FILE,
                "version": 2,
                "numberOfVectors": 0,
                "header": [f"Exported by wirecheck {__version__}: {note}."],
                "notes": {},
                "groups": [],
            }
        group = next((g for g in doc["groups"] if g["protocol"] == vector.protocol and g["params"] == vector.params), None)
        if group is None:
            group = {"protocol": vector.protocol, "params": vector.params, "vectors": []}
            doc["groups"].append(group)
        group["vectors"].append(vector_json(vector))
        doc["numberOfVectors"] += 1
        notes = vector_set.notes(vector.family)
        for flag in vector.flags:
            doc["notes"][flag] = notes[flag]
    return out


def write(directory: Path, docs: dict[str, dict]) -> list[Path]:
    """Write ``docs`` (and the schema they follow) into ``directory``; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for family, doc in docs.items():
        path = directory / f"{family}.json"
        write_atomically(path, json.dumps(doc, indent=1) + "\n")
        written.append(path)
    write_atomically(directory / SCHEMA_FILE, (default_directory() / SCHEMA_FILE).read_text())
    return written
