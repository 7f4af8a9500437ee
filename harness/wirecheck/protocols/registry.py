"""Every protocol wirecheck knows, found once and looked up in one place.

Protocols are declared next to their codecs: each module of ``wirecheck.codecs`` that
defines a ``PROTOCOLS`` tuple of ``ProtocolSpec`` contributes them.  Adding a protocol is
adding a codec module; nothing here changes.  A name that is not registered is a
``ParameterError`` everywhere, never a fallback to some other protocol.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from wirecheck import codecs
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.errors import ParameterError


@functools.cache
def _registry() -> dict[str, ProtocolSpec]:
    found: list[ProtocolSpec] = []
    for info in pkgutil.iter_modules(codecs.__path__):
        module = importlib.import_module(f"{codecs.__name__}.{info.name}")
        found.extend(getattr(module, "PROTOCOLS", ()))
    found.sort(key=lambda spec: (spec.order, spec.name))
    registry: dict[str, ProtocolSpec] = {}
    for spec in found:
        if spec.name in registry:
            raise RuntimeError(f"protocol {spec.name!r} is declared twice")
        registry[spec.name] = spec
    return registry


def specs() -> tuple[ProtocolSpec, ...]:
    """Every registered protocol, in listing order."""
    return tuple(_registry().values())


def names() -> tuple[str, ...]:
    """Every registered protocol name, in listing order."""
    return tuple(_registry())


def get(name: str) -> ProtocolSpec:
    """The protocol called ``name``; ParameterError when there is none."""
    try:
        return _registry()[name]
    except (KeyError, TypeError):
        raise ParameterError(f"unknown protocol {name!r}; wirecheck knows {', '.join(names())}") from None


def families() -> dict[str, tuple[ProtocolSpec, ...]]:
    """family (a vector file, a strategy module) -> its protocols, in listing order."""
    out: dict[str, list[ProtocolSpec]] = {}
    for spec in specs():
        out.setdefault(spec.family, []).append(spec)
    return {family: tuple(members) for family, members in out.items()}


def framings() -> tuple[str, ...]:
    """The protocols whose frames are byte strings (all but the structured ones, Banana): what a
    request/reply protocol can run over (docs/client-contract.md)."""
    return tuple(spec.name for spec in specs() if not spec.structured)


def family_of(name: str) -> str:
    return get(name).family
