"""What a run is asked to do, shared by the command line and the pytest plugin.

Both front ends turn their options into a ``RunOptions``; the parameter options they
offer are generated from the registry (``option_params``), so a protocol's new
parameter appears in both without either being edited; targets are built from a spec
string in one place (``make_target``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols
from wirecheck.codecs.spec import Param
from wirecheck.errors import ParameterError, TargetError, UsageError


@dataclass(frozen=True)
class OptionParam:
    """One parameter option, merged over every protocol that has a parameter of that name."""

    param: Param  # the widest reading: every protocol's choices and aliases, the loosest bounds
    protocols: tuple[str, ...]
    help: str
    endpoint: bool

    @property
    def name(self) -> str:
        return self.param.name

    @property
    def flag(self) -> str:
        return self.param.name.replace("_", "-")


def option_params() -> list[OptionParam]:
    """Every registered parameter, once, in first-declared order."""
    merged: dict[str, list] = {}
    for spec in protocols.specs():
        for param in spec.params:
            merged.setdefault(param.name, []).append((spec.name, param))
    out = []
    for name, owners in merged.items():
        params = [p for _, p in owners]
        first = params[0]
        kinds = {p.kind for p in params}
        if len(kinds) != 1:
            raise RuntimeError(f"parameter {name} has different kinds in different protocols: {sorted(kinds)}")
        minimums = [p.minimum for p in params]
        maximums = [p.maximum for p in params]
        choices = tuple(dict.fromkeys(c for p in params for c in p.choices))
        aliases = {k: v for p in params for k, v in p.aliases.items()}
        widest = Param(
            name, first.kind, None, first.help,
            minimum=None if None in minimums else min(minimums),
            maximum=None if None in maximums else max(maximums),
            choices=choices, aliases=aliases, negation=first.negation, endpoint=first.endpoint,
        )  # fmt: skip
        helps: dict[str, list[str]] = {}
        for protocol, p in owners:
            helps.setdefault(p.help, []).append(protocol)
        text = next(iter(helps)) if len(helps) == 1 else "; ".join(f"{', '.join(ps)}: {h}" for h, ps in helps.items())
        out.append(
            OptionParam(widest, tuple(protocol for protocol, _ in owners), text, any(p.endpoint for p in params))
        )
    return out


def parse_option(option: OptionParam, text: str):
    """A parameter option's text -> its JSON-form value (ParameterError, naming the option)."""
    try:
        return protocols.parse_text(option.param, text)
    except ParameterError as exc:
        raise ParameterError(f"--{option.flag}: {exc}") from None


@dataclass
class RunOptions:
    """Everything a run needs to know.  ``params`` are filters for an in-process run and the
    endpoint's configuration (completed with endpoint defaults) for a socket endpoint."""

    protocols: list[str] = field(default_factory=list)  # empty: every protocol
    params: dict = field(default_factory=dict)
    target: str | None = None  # tcp://, cmd:, python: (None: the in-process reference)
    listen: str | None = None  # HOST:PORT for client mode
    timeout: float = 5.0
    delay: float = 0.0
    jobs: int = 1
    deadline: float = 900.0
    sanity: bool = True
    only: str | None = None  # "vectors" | "properties"
    examples: int = 100
    properties: list[str] = field(default_factory=list)  # empty: every property
    seed: int | None = None
    cases: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    vectors: Path | None = None
    extra_vectors: list[Path] = field(default_factory=list)

    @property
    def narrowed(self) -> bool:
        """--case or --flag picked vectors: properties run only when asked for by name."""
        return bool(self.cases or self.flags)

    @property
    def endpoint(self) -> bool:
        """A socket endpoint (tcp:, cmd: or --listen), as opposed to something driven in-process."""
        return self.listen is not None or (self.target is not None and not self.target.startswith("python:"))

    def resolved_params(self) -> dict:
        """``params`` checked against the chosen protocols, and for an endpoint completed with
        its defaults (an endpoint is tested one protocol at a time)."""
        if self.target is not None and self.listen is not None:
            raise UsageError("--target and --listen exclude each other: test a server or a client")
        specs = [protocols.get(name) for name in (self.protocols or protocols.names())]
        for key in self.params:
            if not any(spec.param(key) is not None for spec in specs):
                flag = "--" + key.replace("_", "-")
                raise ParameterError(f"{flag}: {', '.join(s.name for s in specs)} has no such parameter")
        for spec in specs:
            protocols.check(spec, {k: v for k, v in self.params.items() if spec.param(k) is not None})
        if self.endpoint:
            if len(set(self.protocols)) != 1:
                raise UsageError("an endpoint is tested one protocol at a time: give exactly one --protocol")
            return {**protocols.endpoint_config(specs[0]), **self.params}
        return dict(self.params)


def split_host_port(text: str, option: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise UsageError(f"{option} {text!r}: expected HOST:PORT")
    return host.strip("[]"), int(port)


TARGET_FORMS = (
    "tcp://HOST:PORT, 'cmd:COMMAND ... {port} ...', 'stdio:COMMAND', 'stdio-chunked:COMMAND' or python:MODULE:factory"
)


def make_target(spec: str, timeout: float = 5.0, delay: float = 0.0, startup_timeout: float | None = None):
    """The target a ``--target`` spec names (``reference`` is the in-process reference).

    ``startup_timeout``: the most seconds a ``cmd:`` server may take to listen (default
    ``STARTUP_TIMEOUT``; a run passes less when its deadline is nearer)."""
    from wirecheck.targets import CommandTarget, PythonTarget, ReferenceTarget, StdioTarget, TcpTarget

    try:
        if spec == "reference":
            return ReferenceTarget()
        if spec.startswith("tcp://"):
            host, port = split_host_port(spec[len("tcp://") :], "--target")
            if port == 0:
                raise UsageError(f"--target {spec!r}: port 0 is not a port to connect to")
            return TcpTarget(host, port, timeout=timeout, delay=delay)
        if spec.startswith("cmd:"):
            startup = {} if startup_timeout is None else {"startup_timeout": startup_timeout}
            return CommandTarget(spec[len("cmd:") :], timeout=timeout, delay=delay, **startup)
        for prefix, chunked in (("stdio:", False), ("stdio-chunked:", True)):
            if spec.startswith(prefix):
                return StdioTarget(spec[len(prefix) :], chunked=chunked, timeout=timeout, delay=delay)
        if spec.startswith("python:"):
            return PythonTarget(spec[len("python:") :])
    except TargetError as exc:
        raise UsageError(str(exc)) from None
    raise UsageError(f"--target {spec!r}: use {TARGET_FORMS}")


def open_target(options: RunOptions, startup_timeout: float | None = None):
    """The target of a run: --listen, --target, or the in-process reference."""
    from wirecheck.targets import ListenTarget, ReferenceTarget

    if options.listen is not None:
        host, port = split_host_port(options.listen, "--listen")
        try:
            return ListenTarget(host, port, timeout=options.timeout, delay=options.delay)
        except TargetError as exc:
            raise UsageError(str(exc)) from None
    if options.target is not None:
        return make_target(options.target, options.timeout, options.delay, startup_timeout)
    return ReferenceTarget()
