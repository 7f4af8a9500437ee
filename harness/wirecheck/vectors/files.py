"""Reading one vector file: bounded in size and nesting, parsed, checked against the schema.

Vector files are untrusted input (a user's own, a third party's, a download), so reading
one is bounded before any of it is believed:

* a file larger than ``FILE_LIMIT`` is refused, read no further than the limit, and a
  set of files holding more than ``ENTRY_LIMIT`` entries is refused (a run keeps a
  result per vector: memory grows with the count, not only the bytes);
* nesting deeper than ``DEPTH_LIMIT`` is refused, found by an iterative walk, before the
  schema validator (which recurses) sees the document;
* the schema's hex patterns (``^([0-9a-f]{2})*$``), which Python's ``re`` matches at
  about 160 bytes of memory per character, are checked by a linear scan instead; every
  other keyword is the schema's own, unchanged, so the files stay valid for any
  validator in any language;
* validation runs on a thread with a large stack and a raised recursion limit, so every
  document within ``DEPTH_LIMIT`` validates, wherever the caller's stack stands.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from pathlib import Path

from wirecheck.errors import VectorFileError

SCHEMA_FILE = "vectors.schema.json"
#: The largest vector file read: large inputs belong in templates, which are built, not stored.
FILE_LIMIT = 8 << 20
#: The most entries (vectors and templates) all the files of a run may hold together.
ENTRY_LIMIT = 20_000
#: The deepest nesting of arrays and objects in a vector file (a Banana value nested this deep).
DEPTH_LIMIT = 400
#: Patterns checked by a scan rather than by ``re``: whether the empty string matches.
_HEX_PATTERNS = {"^([0-9a-f]{2})*$": True, "^([0-9a-f]{2})+$": False}
_HEX = re.compile("[0-9a-f]*")
#: For validation's thread: its stack, and the recursion limit it runs under.
_STACK = 256 << 20
_RECURSION = 40_000


def load_schema(directory: Path) -> dict:
    path = directory / SCHEMA_FILE
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise VectorFileError(f"{path}: schema file not found") from None
    except (OSError, ValueError) as exc:
        raise VectorFileError(f"{path}: cannot read schema: {exc}") from None


def _pattern(validator, pattern: str, instance, schema):
    """The ``pattern`` keyword, with the hex patterns checked in linear time and constant memory."""
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    empty_ok = _HEX_PATTERNS.get(pattern)
    if empty_ok is not None:
        ok = len(instance) % 2 == 0 and (empty_ok or instance != "") and _HEX.fullmatch(instance) is not None
    else:
        ok = re.search(pattern, instance) is not None
    if not ok:
        shown = instance if len(instance) <= 60 else instance[:60] + "..."
        yield ValidationError(f"{shown!r} does not match {pattern!r}")


def validator_for(schema: dict):
    """A validator of ``schema`` (draft 2020-12) whose hex patterns cost no more than the text."""
    import jsonschema

    fast = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})
    return fast(schema)


def _depth(doc) -> int:
    """How deep arrays and objects nest in ``doc`` (an explicit stack: no recursion)."""
    deepest = 0
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        if depth > DEPTH_LIMIT:
            return depth
        stack.extend((item, depth + 1) for item in value)
    return deepest


def _errors(validator, doc) -> list:
    """Every schema error in ``doc``, found on a thread whose stack fits DEPTH_LIMIT levels."""
    found: dict = {}

    def work() -> None:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, _RECURSION))
        try:
            found["errors"] = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        except RecursionError:
            found["deep"] = True
        finally:
            sys.setrecursionlimit(limit)

    previous = threading.stack_size(_STACK)
    try:
        worker = threading.Thread(target=work, name="wirecheck-schema")
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()
    if found.get("deep"):
        raise VectorFileError(f"nested too deeply to validate (more than {DEPTH_LIMIT} levels)")
    return found["errors"]


def _describe(error) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    message = error.message if len(error.message) <= 300 else error.message[:300] + "..."
    return f"at {where}: {message}"


def read_document(path: Path, validator=None) -> tuple[dict, bytes]:
    """Parse one vector file; with a validator, raise VectorFileError listing schema errors."""
    try:
        with open(path, "rb") as f:
            raw = f.read(FILE_LIMIT + 1)
    except OSError as exc:
        raise VectorFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > FILE_LIMIT:
        raise VectorFileError(f"{path}: larger than {FILE_LIMIT >> 20} MiB, the most a vector file may hold "
                              "(make large inputs templates)")  # fmt: skip
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise VectorFileError(f"{path}: nested more than {DEPTH_LIMIT} levels deep") from None
    except ValueError as exc:
        raise VectorFileError(f"{path}: not valid JSON: {exc}") from None
    depth = _depth(doc)
    if depth > DEPTH_LIMIT:
        raise VectorFileError(f"{path}: nested more than {DEPTH_LIMIT} levels deep")
    if validator is not None:
        try:
            errors = _errors(validator, doc)
        except VectorFileError as exc:
            raise VectorFileError(f"{path}: {exc}") from None
        if errors:
            shown = "\n  ".join(_describe(e) for e in errors[:10])
            more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
            raise VectorFileError(f"{path}: does not match {SCHEMA_FILE}:\n  {shown}{more}")
    return doc, raw
