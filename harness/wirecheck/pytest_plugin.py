"""The wirecheck pytest plugin (registered through the ``pytest11`` entry point).

    pytest --wirecheck-target tcp://127.0.0.1:7000 --wirecheck-protocol netstring -n auto

collects one test per golden vector (named by its id) and one per property, all
against that target.  Without ``--wirecheck-target`` nothing is added, and the
``wirecheck_target`` fixture drives the in-process reference, so users' own
property tests run anywhere.  Generated tests carry the markers
``wirecheck_vector`` and ``wirecheck_property`` (``-m "not wirecheck_property"``).
Works under pytest-xdist: every worker collects the same items and starts its own
copy of a ``cmd:`` target.  The parameter options (``--wirecheck-max-length``, ...) are
the registry's parameters, as on the command line; both build a ``RunOptions``.

This module is imported at every pytest start-up where wirecheck is installed, so it
imports nothing of wirecheck at module level but the registry's names; the rest is
imported when the options are used.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser) -> None:
    from wirecheck import protocols
    from wirecheck.run import option_params

    names = protocols.names()
    group = parser.getgroup("wirecheck", "wirecheck conformance tests")
    group.addoption(
        "--wirecheck-target",
        metavar="TARGET",
        help="collect wirecheck's vectors and properties against TARGET: tcp://HOST:PORT, "
        "'cmd:COMMAND ... {port} ...', python:MODULE:factory or reference",
    )
    group.addoption(
        "--wirecheck-protocol",
        action="append",
        choices=names,
        metavar="P",
        help=f"protocol(s) to test ({', '.join(names)}); one for a socket endpoint",
    )
    for option in option_params():
        if option.param.kind == "bool":
            group.addoption(
                f"--wirecheck-{option.flag}",
                dest=f"wirecheck_{option.name}",
                action="store_const",
                const=True,
                default=None,
                help=option.help,
            )
            if option.param.negation:
                group.addoption(
                    f"--wirecheck-{option.param.negation}",
                    dest=f"wirecheck_{option.name}",
                    action="store_const",
                    const=False,
                    help=f"the opposite of --wirecheck-{option.flag}",
                )
        else:
            group.addoption(
                f"--wirecheck-{option.flag}", dest=f"wirecheck_{option.name}", metavar="VALUE", help=option.help
            )
    group.addoption("--wirecheck-only", choices=("vectors", "properties"), help="collect only these")
    group.addoption("--wirecheck-examples", type=int, default=50, metavar="N", help="examples per property (50)")
    group.addoption("--wirecheck-seed", type=int, metavar="S", help="seed for the properties (default: fixed 0)")
    group.addoption("--wirecheck-timeout", type=float, default=5.0, metavar="S", help="per-delivery timeout")
    group.addoption("--wirecheck-no-sanity", action="store_true",
                    help="skip the sanity case that checks an endpoint answers before any test runs")  # fmt: skip
    group.addoption("--wirecheck-vectors", metavar="DIR", help="golden vector directory (default: bundled)")
    group.addoption("--wirecheck-add-vectors", action="append", metavar="DIR",
                    help="more vector files to run alongside (your own); repeatable")  # fmt: skip


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "wirecheck_vector: a wirecheck golden-vector test (collected by the plugin)")
    config.addinivalue_line("markers", "wirecheck_property: a wirecheck property test (collected by the plugin)")


def pytest_sessionstart(session) -> None:
    """Before any test: the target opens, and an endpoint answers the sanity case.  If not,
    one usage error (pytest's exit code 4) says what is wrong, instead of a failure per test."""
    config = session.config
    if not config.getoption("--wirecheck-target") or hasattr(config, "workerinput"):
        return  # no target, or an xdist worker: the controller has checked already
    settings = _settings(config)
    target = settings.target()
    if not target.endpoint or config.getoption("--wirecheck-no-sanity"):
        return
    from wirecheck.errors import WirecheckError
    from wirecheck.run import configurations
    from wirecheck.run.plan import preflight, sanity_from_oracle

    names = settings.options.protocols or []
    configs = configurations(names, settings.params)
    if not configs:
        return
    vector = sanity_from_oracle(*configs[0])
    try:
        found = preflight(target, vector)
    except WirecheckError as exc:
        raise pytest.UsageError(f"--wirecheck-target: {exc}") from None
    if found:
        raise pytest.UsageError(f"--wirecheck-target: sanity case {vector.id} failed, nothing was run: {found.problem}")
    if config.getoption("dist", "no") != "no":
        settings.close()  # the workers start their own; this one would sit idle


class _Settings:
    """The plugin's options, resolved once per process."""

    def __init__(self, config) -> None:
        from wirecheck.errors import WirecheckError
        from wirecheck.run import RunOptions, option_params, parse_option
        from wirecheck.run.options import TARGET_FORMS

        opt = config.getoption
        spec = opt("--wirecheck-target")
        if spec and spec != "reference" and not spec.startswith(("tcp://", "cmd:", "python:")):
            raise pytest.UsageError(f"--wirecheck-target {spec!r}: use {TARGET_FORMS} or reference")
        params: dict = {}
        try:
            for option in option_params():
                value = opt(f"wirecheck_{option.name}")
                if value is None:
                    continue
                params[option.name] = value if option.param.kind == "bool" else parse_option(option, value)
            self.options = RunOptions(
                protocols=list(opt("--wirecheck-protocol") or []),
                params=params,
                target=None if spec in (None, "reference") else spec,
                timeout=opt("--wirecheck-timeout"),
                only=opt("--wirecheck-only"),
                examples=opt("--wirecheck-examples"),
                seed=opt("--wirecheck-seed") if opt("--wirecheck-seed") is not None else 0,
                vectors=opt("--wirecheck-vectors"),
                extra_vectors=list(opt("--wirecheck-add-vectors") or []),
            )
            self.params = self.options.resolved_params()
        except WirecheckError as exc:
            raise pytest.UsageError(f"--wirecheck: {exc}") from None
        self.spec = spec
        self._target = None

    def target(self):
        """This process's target, opened on first use (a cmd: server starts once per worker)."""
        if self._target is None:
            from wirecheck.errors import WirecheckError
            from wirecheck.run import open_target

            try:
                self._target = open_target(self.options)
            except WirecheckError as exc:
                raise pytest.UsageError(f"--wirecheck-target: {exc}") from None
        return self._target

    def close(self) -> None:
        if self._target is not None:
            self._target.close()
            self._target = None


_KEY = pytest.StashKey[_Settings]()


def _settings(config) -> _Settings:
    if _KEY not in config.stash:
        config.stash[_KEY] = _Settings(config)
        config.add_cleanup(config.stash[_KEY].close)
    return config.stash[_KEY]


class WirecheckFailure(Exception):
    """A target did not conform; the message says how (no traceback needed)."""


class _WirecheckItem(pytest.Item):
    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, WirecheckFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name


class VectorItem(_WirecheckItem):
    def __init__(self, *, vector, **kwargs) -> None:
        super().__init__(**kwargs)
        self.vector = vector
        self.add_marker("wirecheck_vector")

    def runtest(self) -> None:
        from wirecheck.checks import Verdict, run_case
        from wirecheck.oracle import describe
        from wirecheck.run.selection import rerun_command

        case = run_case(_settings(self.config).target(), self.vector)
        if case.verdict == Verdict.UNIMPLEMENTED:
            pytest.skip(f"unimplemented by this target: {case.detail}")
        if case.verdict == Verdict.NOT_RUN:
            pytest.skip(case.detail)
        if case.verdict.failing:
            v = self.vector
            raise WirecheckFailure(
                f"{case.verdict.word} {v.id} [{case.delivery}]: {case.detail}\n"
                f"  {v.description}\n  expected: {describe(v.expected)}\n  flags: {', '.join(v.flags)}\n"
                f"  rerun: {rerun_command(_settings(self.config).options, v.id)}"
            )


class PropertyItem(_WirecheckItem):
    def __init__(self, *, prop: str, protocol: str, params: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prop, self.protocol, self.params = prop, protocol, params
        self.add_marker("wirecheck_property")

    def runtest(self) -> None:
        from wirecheck.checks import Verdict, run_property

        settings = _settings(self.config)
        result = run_property(
            settings.target(),
            self.prop,
            self.protocol,
            self.params,
            examples=settings.options.examples,
            seed=settings.options.seed,
            replay_target=settings.spec or "",
        )
        if result.verdict == Verdict.UNIMPLEMENTED:
            pytest.skip(f"unimplemented by this target: {result.detail}")
        if result.verdict == Verdict.NOT_RUN:
            pytest.skip(result.detail)
        if result.verdict != Verdict.PASS:
            raise WirecheckFailure(result.report())


class WirecheckCollector(pytest.Collector):
    def collect(self):
        from wirecheck import protocols
        from wirecheck.checks import PROPERTY_NAMES
        from wirecheck.errors import WirecheckError
        from wirecheck.run import configurations
        from wirecheck.run.selection import choose

        settings = _settings(self.config)
        options = settings.options
        items = []
        if options.only != "properties":
            try:
                _, selection = choose(options, settings.params)
            except WirecheckError as exc:
                raise pytest.UsageError(f"wirecheck: {exc}") from None
            items += [VectorItem.from_parent(self, name=v.id, vector=v) for v in selection.vectors]
        if options.only != "vectors":
            for protocol, params in configurations(options.protocols or protocols.names(), settings.params):
                for name in PROPERTY_NAMES:
                    items.append(PropertyItem.from_parent(
                        self, name=f"property-{protocols.property_id(protocol, params, name)}",
                        prop=name, protocol=protocol, params=params,
                    ))  # fmt: skip
        if not items:
            raise pytest.UsageError("wirecheck: the selection runs nothing for these options")
        return items


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items) -> None:
    """Add the wirecheck tests before -k, -m and --deselect filter the collection."""
    if not config.getoption("--wirecheck-target"):
        return
    _settings(config)  # option errors surface here, once
    collector = WirecheckCollector.from_parent(session, name="wirecheck", nodeid="wirecheck")
    added = collector.collect()
    items.extend(added)
    # Reported like any collected node, so the terminal's "collected N items" counts them.
    report = pytest.CollectReport(collector.nodeid, "passed", None, added)
    config.hook.pytest_collectreport(report=report)


# --- for users' own tests ------------------------------------------------------------------


class TargetHandle:
    """The configured target with a protocol and parameters, for hand-written tests.

    ``deliver(chunks)`` returns what the target did; ``expect(chunks)`` asserts it did
    what the reference does with the same reads; ``using(protocol, **params)`` gives a
    handle for another configuration on the same target.
    """

    def __init__(self, target, protocol: str, params: dict) -> None:
        from wirecheck import protocols

        self.target, self.protocol = target, protocol
        self.params = protocols.complete(protocols.get(protocol), params)

    def using(self, protocol: str, **params) -> TargetHandle:
        return TargetHandle(self.target, protocol, params)

    def deliver(self, chunks):
        from wirecheck.checks import replay_case

        chunks = [bytes(c) for c in chunks]
        return self.target.deliver(replay_case(self.protocol, self.params, chunks), chunks)

    def expect(self, chunks):
        from wirecheck.checks import PROPERTIES, as_target, case_of, check_case, compact_hex

        chunks = [bytes(c) for c in chunks if c]
        case = case_of(self.protocol, self.params, chunks)
        checked = check_case(as_target(self.target), PROPERTIES["differential"], case)
        problem, obs = checked.problem, checked.observed
        if problem:
            raise AssertionError(f"{problem}\n  reads: {','.join(compact_hex(c) for c in chunks)}")
        return obs


@pytest.fixture(scope="session")
def wirecheck_target(request) -> TargetHandle:
    """The --wirecheck-target (default: the in-process reference) for the first --wirecheck-protocol
    (default netstring), with the --wirecheck-* parameters.  Session-scoped, so Hypothesis's
    @given tests can use it."""
    from wirecheck import protocols
    from wirecheck.run import configurations

    settings = _settings(request.config)
    protocol = settings.options.protocols[0] if settings.options.protocols else "netstring"
    configs = configurations([protocol], settings.params) if settings.params else []
    params = configs[0][1] if configs else protocols.complete(protocols.get(protocol))
    return TargetHandle(settings.target(), protocol, params)
