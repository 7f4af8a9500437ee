"""The protocol registry: every protocol and its parameters, declared once, looked up here.

    from wirecheck import protocols
    spec = protocols.get("line")                      # a ProtocolSpec
    config = protocols.complete(spec, {"max_length": 10})
    decoder = spec.decoder(config)

Protocols are declared by the codec modules (see ``wirecheck.codecs.spec``); this package
finds them, reads and checks parameters, and converts frames to and from JSON.
"""

from wirecheck.codecs.spec import Param, ProtocolSpec

from .params import (
    check,
    check_value,
    command_words,
    complete,
    config_label,
    endpoint_config,
    endpoint_group,
    group_configs,
    open_params,
    parse_text,
    property_id,
    selects,
    stream_configs,
)
from .registry import families, family_of, framings, get, names, specs
from .values import frame_from_json, frame_to_json

__all__ = [
    "Param",
    "ProtocolSpec",
    "check",
    "check_value",
    "command_words",
    "complete",
    "config_label",
    "endpoint_config",
    "endpoint_group",
    "families",
    "family_of",
    "frame_from_json",
    "frame_to_json",
    "framings",
    "get",
    "group_configs",
    "names",
    "open_params",
    "parse_text",
    "property_id",
    "selects",
    "specs",
    "stream_configs",
]
