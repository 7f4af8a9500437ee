"""Frames as language-neutral JSON: byte payloads as hex, structured values (Banana) typed.

A byte payload is a lowercase hex string.  A structured value is written as follows.

JSON numbers cannot carry 448-bit integers, NaN or -0.0 portably, so every scalar
is a one-key object: ``{"int": "-5"}`` (decimal string), ``{"bytes": "68 69"}`` as hex,
``{"float": "0x1.8p+0"}`` (C99 hex-float, or ``nan``, ``inf``, ``-inf``).  Lists are
JSON arrays.  Conversion is iterative, so deep nesting cannot overflow the stack.
"""

from __future__ import annotations

import math
from typing import Any


def _scalar_to_json(value: Any) -> dict:
    if isinstance(value, bool):
        raise TypeError("Banana has no boolean type")
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, float):
        return {"float": "nan" if math.isnan(value) else value.hex()}
    raise TypeError(f"not a Banana value: {type(value).__name__}")


def _map_tree(value: Any, leaf) -> Any:
    """Copy nested lists/tuples as lists, applying ``leaf`` to everything else, without recursion."""
    if not isinstance(value, (list, tuple)):
        return leaf(value)
    root: list = []
    stack = [(iter(value), root)]
    while stack:
        items, out = stack[-1]
        for item in items:
            if isinstance(item, (list, tuple)):
                child: list = []
                out.append(child)
                stack.append((iter(item), child))
                break
            out.append(leaf(item))
        else:
            stack.pop()
    return root


def to_json(value: Any) -> Any:
    """Python Banana value (int, bytes, float, list) -> typed JSON."""
    return _map_tree(value, _scalar_to_json)


def _scalar_from_json(obj: Any) -> Any:
    if not isinstance(obj, dict) or len(obj) != 1:
        raise ValueError(f"not a typed Banana value: {obj!r}")
    ((kind, text),) = obj.items()
    if not isinstance(text, str):
        raise ValueError(f"typed value must be a string: {obj!r}")
    if kind == "int":
        return int(text, 10)
    if kind == "bytes":
        return bytes.fromhex(text)
    if kind == "float":
        return float.fromhex(text) if text not in ("nan", "inf", "-inf") else float(text)
    raise ValueError(f"unknown Banana value type {kind!r}")


def from_json(obj: Any) -> Any:
    """Typed JSON -> Python Banana value."""
    return _map_tree(obj, _scalar_from_json)


def frame_to_json(spec, frame: Any) -> Any:
    """One decoded frame of protocol ``spec`` in its JSON form (TypeError/ValueError if it is none)."""
    if spec.structured:
        return to_json(frame)
    if not isinstance(frame, (bytes, bytearray, memoryview)):
        raise TypeError(f"a {spec.name} frame is bytes, not {type(frame).__name__}")
    return bytes(frame).hex()


def frame_from_json(spec, obj: Any) -> Any:
    """The inverse of ``frame_to_json``."""
    return from_json(obj) if spec.structured else bytes.fromhex(obj)
