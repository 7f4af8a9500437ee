"""Parameters: read from text, checked against the protocol, completed with defaults.

Three kinds of parameter set are in play, all dicts in the JSON form of the vector files:

* a *filter*: some parameters, as a run's options give them (``--max-length 10``): it
  selects the vector groups it describes (``selects``);
* an *endpoint configuration*: how a server or client under test is configured, every
  endpoint parameter present (``endpoint_config``); for most protocols it is one vector
  group's configuration, for Banana it stands for several (``group_configs``);
* a *group configuration*: complete, as a vector group's ``params`` (``complete``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wirecheck.codecs.spec import Param, ProtocolSpec
from wirecheck.errors import ParameterError

_MISSING = object()


def parse_text(param: Param, text: str) -> Any:
    """A command-line word -> the parameter's JSON-form value (ParameterError if it cannot be)."""
    if param.kind == "int":
        try:
            value = int(text, 10)
        except ValueError:
            raise ParameterError(f"{text!r} is not a whole number") from None
    elif param.kind == "bytes":
        value = _parse_bytes(param, text)
    elif param.kind == "names":
        value = [word for word in text.split(",") if word]
        if not value:
            raise ParameterError("needs at least one name")
    elif param.kind == "bool":
        value = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(text.lower())
        if value is None:
            raise ParameterError(f"{text!r} is not true or false")
    else:
        value = text
    return check_value(param, value)


def _parse_bytes(param: Param, text: str) -> str:
    named = param.aliases.get(text.lower())
    if named is not None:
        return named.hex()
    if text.lower().startswith("hex:"):
        try:
            return bytes.fromhex(text[4:]).hex()
        except ValueError:
            raise ParameterError(f"{text!r}: not valid hex after 'hex:'") from None
    names = ", ".join(param.aliases)
    raise ParameterError(f"{text!r}: use {names + ' or ' if names else ''}hex:<bytes>, e.g. hex:0d0a")


def check_value(param: Param, value: Any) -> Any:
    """``value`` if it is a valid JSON-form value of ``param``; ParameterError otherwise."""
    kind = param.kind
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ParameterError(f"{param.name} must be a whole number, not {value!r:.40}")
        if param.minimum is not None and value < param.minimum:
            raise ParameterError(f"{param.name} {value} must be {param.minimum} or more")
        if param.maximum is not None and value > param.maximum:
            raise ParameterError(f"{param.name} {value} must be at most {param.maximum}")
    elif kind == "bytes":
        if not isinstance(value, str) or len(value) % 2 or value != value.lower():
            raise ParameterError(f"{param.name} must be lowercase hex, not {value!r:.40}")
        try:
            size = len(bytes.fromhex(value))
        except ValueError:
            raise ParameterError(f"{param.name} must be lowercase hex, not {value!r:.40}") from None
        if param.minimum is not None and size < param.minimum:
            raise ParameterError(f"{param.name} must not be empty" if param.minimum == 1 else
                                 f"{param.name} must be at least {param.minimum} bytes")  # fmt: skip
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"{param.name} must be true or false, not {value!r:.40}")
    elif kind == "choice":
        if value not in param.choices:
            raise ParameterError(f"{param.name} {value!r:.40} is not one of {', '.join(param.choices)}")
    elif kind == "names":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ParameterError(f"{param.name} must be a non-empty list of names")
        unknown = [v for v in value if param.choices and v not in param.choices]
        if unknown:
            raise ParameterError(
                f"{param.name}: {', '.join(map(repr, unknown))} is not one of {', '.join(param.choices)}"
            )
    return value


def check(spec: ProtocolSpec, params: Mapping[str, Any]) -> dict:
    """A filter or endpoint configuration whose every key is a parameter of ``spec`` and every
    value valid for it."""
    out = {}
    for key, value in params.items():
        param = spec.param(key)
        if param is None:
            known = ", ".join(p.name for p in spec.params)
            raise ParameterError(f"{spec.name} has no parameter {key!r} (it has {known})")
        out[key] = check_value(param, value)
    return out


def complete(spec: ProtocolSpec, params: Mapping[str, Any] | None = None) -> dict:
    """A full group configuration: ``params`` checked, defaults added for every parameter that
    applies, and none that does not apply (ParameterError for one given where it does not)."""
    given = check(spec, params or {})
    out: dict = {}
    for param in spec.params:  # those without conditions first, so that conditions can be read
        if not param.when:
            out[param.name] = given.get(param.name, param.default)
    for param in spec.params:
        if param.when:
            if param.applies(out):
                out[param.name] = given.get(param.name, param.default)
            elif param.name in given:
                where = "; ".join(f"{k} {' or '.join(map(str, v))}" for k, v in param.when.items())
                raise ParameterError(f"{spec.name}: {param.name} goes only with {where}")
    return {p.name: out[p.name] for p in spec.params if p.name in out}  # declaration order


def endpoint_config(spec: ProtocolSpec, params: Mapping[str, Any] | None = None) -> dict:
    """How an endpoint is configured: the given parameters over every endpoint parameter's default."""
    given = check(spec, params or {})
    out = {p.name: p.default for p in spec.params if p.endpoint}
    out.update(given)
    return out


def group_configs(spec: ProtocolSpec, params: Mapping[str, Any] | None = None) -> list[dict]:
    """The complete group configurations an endpoint configured with ``params`` is tested in."""
    out: list[dict] = []
    for expanded in spec.expand(endpoint_config(spec, params)):
        config = complete(spec, expanded)
        if config not in out:
            out.append(config)
    return out


def selects(spec: ProtocolSpec, group: Mapping[str, Any], filters: Mapping[str, Any]) -> bool:
    """Does a vector group with parameters ``group`` fit the filter ``filters``?"""
    return any(
        all(group.get(key, _MISSING) == value for key, value in expanded.items())
        for expanded in spec.expand(dict(filters))
    )


def stream_configs(spec: ProtocolSpec, params: Mapping[str, Any] | None = None) -> list[dict]:
    """``group_configs`` that are streams of frames rather than one side of a handshake."""
    return [c for c in group_configs(spec, params) if spec.handshake_role(c) is None]


def command_words(spec: ProtocolSpec, config: Mapping[str, Any]) -> list[str]:
    """The command-line options that give ``config`` (for the commands a report prints).

    False booleans are left out (they are the default reading), and so are group-only
    parameters at their default that nothing depends on (Banana's ``role peer``).  A conditional
    parameter is always written, even at its default: ``--dialect none`` is what makes a Banana
    run test a peer in the dialect none only, where leaving it out tests every dialect."""
    words: list[str] = []
    for param in spec.params:
        if param.name not in config:
            continue
        value = config[param.name]
        option = "--" + param.name.replace("_", "-")
        if (not param.endpoint and not param.when and value == param.default) or (param.kind == "bool" and not value):
            continue
        if param.kind == "bool":
            words.append(option)
        elif param.kind == "bytes":
            words += [option, "hex:" + value]
        elif param.kind == "names":
            words += [option, ",".join(value)]
        else:
            words += [option, str(value)]
    return words


def config_label(spec: ProtocolSpec, config: Mapping[str, Any]) -> str:
    """What tells apart the stream configurations one endpoint is tested in ('' when there is
    one): the values of the conditional choices that apply (a Banana peer's dialect)."""
    return "-".join(str(config[p.name]) for p in spec.params if p.when and p.kind == "choice" and p.name in config)


def property_id(protocol: str, config: Mapping[str, Any], name: str) -> str:
    """``protocol[-label]-name``: a property run's name in reports and test ids."""
    from .registry import get

    label = config_label(get(protocol), config)
    return f"{protocol}-{label}-{name}" if label else f"{protocol}-{name}"


def endpoint_group(spec: ProtocolSpec, params: Mapping[str, Any] | None, side: str) -> dict:
    """The complete configuration of an endpoint configured with ``params`` playing ``side``
    ("server" or "client") of a protocol whose connections open with a handshake; for other
    protocols, the endpoint's one configuration."""
    config = endpoint_config(spec, params)
    if not spec.handshake:
        return complete(spec, config)
    for expanded in spec.expand(config):
        full = complete(spec, expanded)
        if spec.handshake_role(full) == side:
            return full
    raise ParameterError(f"{spec.name} has no {side} side")


def open_params(spec: ProtocolSpec, fixed: Mapping[str, Any]) -> list[Param]:
    """The parameters a partial configuration ``fixed`` leaves open: those it does not give and
    whose conditions its values do not rule out (Banana's ``dialects`` is not open for a peer)."""
    return [
        p
        for p in spec.params
        if p.name not in fixed and all(fixed[k] in values for k, values in p.when.items() if k in fixed)
    ]
