"""Which vectors a run runs: its configurations, the entries that hold in each, templates built.

A run tests each protocol in one or more complete *configurations*:

* an endpoint, in the configurations its parameters stand for (``protocols.group_configs``:
  one for a framing protocol, each peer dialect and the handshake sides for Banana);
* in-process, every configuration the vector files name (their groups' fixed parameters
  and their ``configurations`` lists) that fits the run's parameter options, or, when none
  fits, the configuration those options give.

In each configuration, every entry that holds there runs: a template as an instance with
its own id (``netstring-max-at@max_length=100``), a concrete vector once per run (in the
first configuration it holds in).  Templates that would send more than the instance limit
are skipped, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from wirecheck import protocols
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.errors import ParameterError

from .template import TooLarge


@dataclass
class Selection:
    vectors: list = field(default_factory=list)
    #: (instance id, why it was not built)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: protocol -> the configurations it is tested in
    configurations: dict[str, list[dict]] = field(default_factory=dict)


def _add(out: list, config: dict) -> None:
    if config not in out:
        out.append(config)


def configurations(vector_set, spec: ProtocolSpec, filters: dict | None, endpoint: bool) -> list[dict]:
    """The complete configurations a run tests ``spec`` in (see the module docstring)."""
    filters = dict(filters or {})
    if endpoint:
        return protocols.group_configs(spec, {k: v for k, v in filters.items() if spec.param(k) is not None})
    candidates: list[dict] = []
    for config in protocols.group_configs(spec):
        _add(candidates, config)
    for entry in vector_set.entries:
        if entry.protocol == spec.name and protocols.complete(spec, entry.fixed) == entry.fixed:
            _add(candidates, entry.fixed)
    for name, params in vector_set.configurations:
        if name == spec.name:
            _add(candidates, protocols.complete(spec, params))
    chosen = [c for c in candidates if protocols.selects(spec, c, filters)]
    if chosen or not filters or any(spec.param(k) is None for k in filters):
        return chosen
    try:  # options naming a configuration no file names: test that one
        return [protocols.complete(spec, filters)]
    except ParameterError:
        return []


def _matches(patterns, *ids: str) -> bool:
    return any(fnmatchcase(i, p) for p in patterns for i in ids)


def instances(
    vector_set,
    names=None,
    filters: dict | None = None,
    endpoint: bool = False,
    cases=(),
    skip=(),
    flags=(),
) -> Selection:
    """The vectors of ``vector_set`` a run of ``names`` (default: every protocol) with parameter
    options ``filters`` runs, narrowed by id patterns (``cases``, ``skip``) and ``flags``."""
    out = Selection()
    for name in names or protocols.names():
        spec = protocols.get(name)
        configs = configurations(vector_set, spec, filters, endpoint)
        out.configurations[name] = configs
        done: set[str] = set()
        for entry in vector_set.entries:
            if entry.protocol != name or (flags and not set(flags) & set(entry.flags)):
                continue
            for config in configs:
                if entry.id in done or not entry.applies(config):
                    continue
                ident = entry.instance_id(config)
                if (cases and not _matches(cases, ident, entry.id)) or _matches(skip, ident, entry.id):
                    continue
                try:
                    out.vectors.append(entry.at(config))
                except TooLarge as exc:
                    out.skipped.append((ident, str(exc)))
                if not entry.template:
                    done.add(entry.id)
    return out


def parse_instance_id(text: str) -> tuple[str, dict]:
    """``base@name=value,...`` -> (base, raw values); a plain id -> (id, {})."""
    base, sep, rest = text.partition("@")
    if not sep:
        return text, {}
    values = {}
    for part in rest.split(","):
        key, eq, value = part.partition("=")
        if not eq:
            raise ParameterError(f"{text!r}: expected ID@name=value,...")
        values[key] = value
    return base, values
