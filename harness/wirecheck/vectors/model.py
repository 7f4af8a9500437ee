"""Loading golden vector files into typed objects, with schema validation.

A file's groups hold *entries*: concrete vectors, and templates (``template``) whose bytes
are built from the configuration.  A group's ``params`` fix some parameters; those it
leaves out are open, and its entries hold for any value of them that meets each entry's
``requires``.  ``Entry.at(config)`` makes the ``Vector`` a run delivers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import VectorFileError
from wirecheck.oracle import Expectation

from .expr import ExprError, holds
from .files import ENTRY_LIMIT, SCHEMA_FILE, load_schema, read_document, validator_for
from .template import check as check_template
from .template import instantiate, is_template

#: The largest instance of a template a run builds (and sends); larger ones are skipped, with the reason.
INSTANCE_LIMIT = 64 << 20


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
    #: The id of the entry it comes from (a template instance's id adds ``@param=value,...``).
    base_id: str = ""


@dataclass(frozen=True)
class Entry:
    """One vector of a file as written (concrete, or a template), with its group's fixed params."""

    id: str
    family: str
    protocol: str
    fixed: dict
    requires: tuple[str, ...]
    raw: dict

    @property
    def template(self) -> bool:
        return is_template(self.raw)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self.raw["flags"])

    def open_params(self) -> list[str]:
        """The protocol's parameters this entry's group leaves open, in declaration order."""
        return [p.name for p in protocols.open_params(protocols.get(self.protocol), self.fixed)]

    def applies(self, config: dict) -> bool:
        """Does this entry hold in the complete configuration ``config``?"""
        if any(config.get(k, _MISSING) != v for k, v in self.fixed.items()):
            return False
        try:
            return all(holds(r, config) for r in self.requires)
        except ExprError:
            return False  # a condition about a parameter this configuration does not have

    def instance_id(self, config: dict) -> str:
        if not self.template:
            return self.id
        return self.id + "@" + ",".join(f"{k}={_show(config[k])}" for k in self.open_params() if k in config)

    def at(self, config: dict, limit: int = INSTANCE_LIMIT) -> Vector:
        """The vector this entry is in ``config`` (TooLarge when a template would exceed ``limit``)."""
        if not self.template:
            return _vector(self.raw, self.family, self.protocol, dict(config), self.id)
        check_template(self.raw, config, limit)  # what building would raise, without the bytes
        return TemplateInstance(self, dict(config), limit)

    def built(self, config: dict, limit: int = INSTANCE_LIMIT) -> Vector:
        """The vector this entry is in ``config``, its bytes made now (lint, export)."""
        raw = instantiate(self.raw, config, self.instance_id(config), limit) if self.template else self.raw
        return _vector(raw, self.family, self.protocol, dict(config), self.id)


class TemplateInstance(Vector):
    """A template at one configuration, whose bytes are made when they are read and not kept.

    A run selects every instance before it runs the first: at multi-megabyte maxima, holding
    each one's input, chunks and expected frames would take hundreds of megabytes.  What
    identifies the vector (id, flags, description, parameters) is kept; ``input``, ``chunks``,
    ``expected`` and ``alternatives`` come from the last few instances built (``_made``)."""

    def __init__(self, entry: Entry, config: dict, limit: int) -> None:
        raw = entry.raw
        setattr_ = object.__setattr__  # a frozen dataclass: its fields are set once, here
        for name, value in (
            ("id", entry.instance_id(config)), ("family", entry.family), ("protocol", entry.protocol),
            ("params", config), ("description", raw["description"]), ("ref", raw["ref"]),
            ("flags", tuple(raw["flags"])), ("result", raw["result"]), ("base_id", entry.id),
            ("entry", entry), ("limit", limit),
        ):  # fmt: skip
            setattr_(self, name, value)

    def __repr__(self) -> str:
        return f"TemplateInstance({self.id!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, TemplateInstance) and (self.id, self.params) == (other.id, other.params)

    __hash__ = object.__hash__

    input = property(lambda self: _made(self).input)  # type: ignore[assignment]
    chunks = property(lambda self: _made(self).chunks)  # type: ignore[assignment]
    expected = property(lambda self: _made(self).expected)  # type: ignore[assignment]
    alternatives = property(lambda self: _made(self).alternatives)  # type: ignore[assignment]


@lru_cache(maxsize=2)
def _made(instance: TemplateInstance) -> Vector:
    return instance.entry.built(instance.params, instance.limit)


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


_MISSING = object()


@dataclass
class VectorSet:
    """Vector files, loaded: their entries, and where templates are instantiated by default."""

    directories: list[Path]
    files: dict[str, dict]  # file path -> parsed document
    entries: list[Entry]
    configurations: list[tuple[str, dict]]
    digest: str  # sha256 over the files' names and bytes, in order

    @property
    def directory(self) -> Path:
        return self.directories[0]

    @property
    def vectors(self) -> list[Vector]:
        """Every vector at its default instantiation: what ``wirecheck run`` without parameter
        options runs (concrete vectors once, templates at each declared configuration)."""
        if self._vectors is None:
            from .select import instances  # select builds on this module; the property is the one way back

            self._vectors = instances(self).vectors
        return self._vectors

    def notes(self, family: str) -> dict:
        for doc in self.files.values():
            if doc.get("family") == family:
                return doc.get("notes", {})
        return {}

    _vectors: list[Vector] | None = None


def is_vector_file(name: str) -> bool:
    """A vector file of a vector folder: not a schema, not the client scenarios (docs/client-contract.md)."""
    return name.endswith(".json") and not name.endswith(".schema.json") and not name.startswith("client-")


def default_directory() -> Path:
    """Where the golden vectors live: $WIRECHECK_VECTORS, the source tree, or the installed copy."""
    env = os.environ.get("WIRECHECK_VECTORS")
    return Path(env) if env else own_directory()


def own_directory() -> Path:
    """wirecheck's own vectors and schema: the source tree's, or the installed copy."""
    package = Path(__file__).resolve().parent.parent
    source_tree = package.parent.parent / "vectors"  # harness/wirecheck/ -> the checkout's vectors/
    if (source_tree / SCHEMA_FILE).exists():
        return source_tree
    return package / "_golden"


def _vector(v: dict, family: str, protocol: str, params: dict, base_id: str) -> Vector:
    return Vector(
        id=v["id"],
        family=family,
        protocol=protocol,
        params=params,
        description=v["description"],
        ref=v["ref"],
        flags=tuple(v["flags"]),
        input=bytes.fromhex(v["input"]),
        chunks=tuple(bytes.fromhex(c) for c in v["chunks"]) if "chunks" in v else None,
        expected=Expectation.from_json(v),
        result=v["result"],
        alternatives=tuple(Expectation.from_json(a) for a in v.get("alternatives", ())),
        base_id=base_id,
    )


def entries_of(doc: dict) -> list[Entry]:
    """The entries of one parsed (and schema-valid) file, in file order."""
    family = doc["family"]
    return [
        Entry(v["id"], family, group["protocol"], dict(group["params"]), tuple(v.get("requires", ())), v)
        for group in doc["groups"]
        for v in group["vectors"]
    ]


def configurations_of(doc: dict) -> list[tuple[str, dict]]:
    """(protocol, params) at which a run without parameter options instantiates the file's templates."""
    return [(c["protocol"], dict(c["params"])) for c in doc.get("configurations", ())]


def bundled_schema() -> dict:
    """The schema every vector file is checked against: wirecheck's own, wherever the files are
    (a directory's own schema, which may admit anything, is never used)."""
    return load_schema(own_directory())


def load(directory: Path | None = None, validate: bool = True, extra: list[Path] | None = None) -> VectorSet:
    """Load every vector file in ``directory`` (default: the bundled vectors) and in each of the
    ``extra`` directories (a user's own vectors, run alongside); ids must be unique across them."""
    directories = [Path(directory) if directory is not None else default_directory(), *map(Path, extra or ())]
    validator = validator_for(bundled_schema()) if validate else None
    files: dict[str, dict] = {}
    entries: list[Entry] = []
    configurations: list[tuple[str, dict]] = []
    seen: dict[str, str] = {}
    digest = hashlib.sha256()
    for where in directories:
        if not where.is_dir():
            raise VectorFileError(f"{where}: no such vector directory")
        names = sorted(p.name for p in where.glob("*.json") if is_vector_file(p.name))
        if not names:
            raise VectorFileError(f"{where}: holds no vector files")
        for name in names:
            path = where / name
            doc, raw = read_document(path, validator)
            files[str(path)] = doc
            digest.update(name.encode() + b"\0" + raw)
            for entry in entries_of(doc):
                if entry.id in seen:
                    raise VectorFileError(f"{path}: vector id {entry.id} is also in {seen[entry.id]}")
                seen[entry.id] = str(path)
                entries.append(entry)
            if len(entries) > ENTRY_LIMIT:
                raise VectorFileError(f"{path}: the vector files hold more than {ENTRY_LIMIT} entries, the most a run "
                                      "loads (make families of inputs templates)")  # fmt: skip
            configurations += configurations_of(doc)
    return VectorSet(directories, files, entries, configurations, digest.hexdigest())
