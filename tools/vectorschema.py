"""The vector files' JSON schema: a fixed template plus what the protocol registry declares.

``tools/vectors.schema.in.json`` holds everything that does not depend on the protocols
(vectors, outcomes, typed Banana values, notes); the families, the protocol names and each
protocol's parameters are filled in here from ``wirecheck.protocols``, so registering a
protocol is enough for the schema to admit its vector file.
"""

from __future__ import annotations

import json
from pathlib import Path

from wirecheck import protocols

TEMPLATE = Path(__file__).resolve().parent / "vectors.schema.in.json"
HEX_BYTES = "^([0-9a-f]{2})+$"


def _param_schema(param) -> dict:
    if param.kind == "int":
        out: dict = {"type": "integer"}
        if param.minimum is not None:
            out["minimum"] = param.minimum
        if param.maximum is not None:
            out["maximum"] = param.maximum
        return out
    if param.kind == "bytes":
        return {"type": "string", "pattern": HEX_BYTES}
    if param.kind == "bool":
        return {"type": "boolean"}
    if param.kind == "choice":
        return {"enum": list(param.choices)}
    return {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


def _union(schemas: list[dict]) -> dict:
    """One schema admitting what any of ``schemas`` admits (same kind, loosest bounds, all choices)."""
    out = dict(schemas[0])
    if "enum" in out:
        out["enum"] = list(dict.fromkeys(v for s in schemas for v in s["enum"]))
    for bound, pick in (("minimum", min), ("maximum", max)):
        values = [s.get(bound) for s in schemas]
        if None in values:
            out.pop(bound, None)
        else:
            out[bound] = pick(values)
    return out


def _protocol_rule(spec) -> dict:
    """A group of ``spec``: its parameters only; those it gives are fixed, the others open.  A
    parameter with a condition (Banana's dialect: role peer) needs the condition's parameter,
    fixed to a value it allows."""
    params = {p.name: _param_schema(p) for p in spec.params}
    rule: dict = {"propertyNames": {"enum": list(params)}, "properties": params}
    conditions = [
        {"if": {"required": [p.name]}, "then": {"required": [key], "properties": {key: {"enum": list(values)}}}}
        for p in spec.params
        for key, values in p.when.items()
    ]
    if conditions:
        rule["allOf"] = conditions
    return {"if": {"properties": {"protocol": {"const": spec.name}}}, "then": {"properties": {"params": rule}}}


def schema() -> dict:
    doc = json.loads(TEMPLATE.read_text())
    specs = protocols.specs()
    doc["properties"]["family"]["enum"] = list(protocols.families())
    group = doc["$defs"]["group"]
    group["properties"]["protocol"]["enum"] = [s.name for s in specs]
    by_name: dict[str, list] = {}
    for spec in specs:
        for p in spec.params:
            by_name.setdefault(p.name, []).append(_param_schema(p))
    group["properties"]["params"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: _union(schemas) for name, schemas in by_name.items()},
    }
    group["allOf"] = [_protocol_rule(spec) for spec in specs]
    doc["properties"]["configurations"]["items"]["properties"]["protocol"] = {"enum": [s.name for s in specs]}
    return doc


def text() -> str:
    return json.dumps(schema(), indent=1) + "\n"
