"""Loading golden vector files into typed objects, with schema validation."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import VectorFileError
from wirecheck.oracle import Expectation

SCHEMA_FILE = "vectors.schema.json"


def family_files() -> tuple[str, ...]:
    """The vector file each registered protocol family must have."""
    return tuple(f"{family}.json" for family in protocols.families())


@dataclass(frozen=True)
class Vector:
    """One golden vector, with its group's protocol and parameters."""

    id: str
    family: str
    protocol: str
    params: dict
    description: str
    ref: str
    flags: tuple[str, ...]
    input: bytes
    chunks: tuple[bytes, ...] | None
    expected: Expectation
    result: str
    alternatives: tuple[Expectation, ...]


@dataclass
class VectorSet:
    directory: Path
    files: dict[str, dict]  # file name -> parsed document
    vectors: list[Vector]
    digest: str  # sha256 over the files' bytes, in name order

    def notes(self, family: str) -> dict:
        for doc in self.files.values():
            if doc.get("family") == family:
                return doc.get("notes", {})
        return {}


def default_directory() -> Path:
    """Where the golden vectors live: $WIRECHECK_VECTORS, the source tree, or the installed copy."""
    env = os.environ.get("WIRECHECK_VECTORS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent.parent
    source_tree = package.parent.parent / "vectors"  # harness/wirecheck/ -> the checkout's vectors/
    if (source_tree / SCHEMA_FILE).exists():
        return source_tree
    return package / "_golden"


def load_schema(directory: Path) -> dict:
    path = directory / SCHEMA_FILE
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise VectorFileError(f"{path}: schema file not found") from None
    except (OSError, ValueError) as exc:
        raise VectorFileError(f"{path}: cannot read schema: {exc}") from None


def _validator(schema: dict):
    import jsonschema

    return jsonschema.Draft202012Validator(schema)


def _describe(error) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    message = error.message if len(error.message) <= 300 else error.message[:300] + "..."
    return f"at {where}: {message}"


def read_document(path: Path, validator=None) -> tuple[dict, bytes]:
    """Parse one vector file; with a validator, raise VectorFileError listing schema errors."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VectorFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise VectorFileError(f"{path}: not valid JSON: {exc}") from None
    if validator is not None:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            shown = "\n  ".join(_describe(e) for e in errors[:10])
            more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
            raise VectorFileError(f"{path}: does not match {SCHEMA_FILE}:\n  {shown}{more}")
    return doc, raw


def vectors_of(doc: dict) -> list[Vector]:
    """The vectors of one parsed (and schema-valid) file, in file order."""
    out = []
    family = doc["family"]
    for group in doc["groups"]:
        for v in group["vectors"]:
            out.append(
                Vector(
                    id=v["id"],
                    family=family,
                    protocol=group["protocol"],
                    params=dict(group["params"]),
                    description=v["description"],
                    ref=v["ref"],
                    flags=tuple(v["flags"]),
                    input=bytes.fromhex(v["input"]),
                    chunks=tuple(bytes.fromhex(c) for c in v["chunks"]) if "chunks" in v else None,
                    expected=Expectation.from_json(v),
                    result=v["result"],
                    alternatives=tuple(Expectation.from_json(a) for a in v.get("alternatives", ())),
                )
            )
    return out


def load(directory: Path | None = None, validate: bool = True) -> VectorSet:
    """Load every family file in ``directory`` (default: the bundled vectors)."""
    directory = Path(directory) if directory is not None else default_directory()
    if not directory.is_dir():
        raise VectorFileError(f"{directory}: no such vector directory")
    validator = _validator(load_schema(directory)) if validate else None
    files: dict[str, dict] = {}
    vectors: list[Vector] = []
    digest = hashlib.sha256()
    names = sorted(p.name for p in directory.glob("*.json") if p.name != SCHEMA_FILE)
    if not names:
        raise VectorFileError(f"{directory}: holds no vector files")
    for name in names:
        doc, raw = read_document(directory / name, validator)
        files[name] = doc
        digest.update(name.encode() + b"\0" + raw)
        vectors.extend(vectors_of(doc))
    return VectorSet(directory, files, vectors, digest.hexdigest())
