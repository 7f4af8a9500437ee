"""The wirecheck pytest plugin (registered through the ``pytest11`` entry point).

    pytest --wirecheck-target tcp://127.0.0.1:7000 --wirecheck-protocol netstring -n auto

collects one test per golden vector (named by its id) and one per property, all
against that target.  Without ``--wirecheck-target`` nothing is added, and the
``wirecheck_target`` fixture drives the in-process reference, so users' own
property tests run anywhere.  Generated tests carry the markers
``wirecheck_vector`` and ``wirecheck_property`` (``-m "not wirecheck_property"``).
Works under pytest-xdist: every worker collects the same items and starts its own
copy of a ``cmd:`` target.
"""

from __future__ import annotations

import pytest

from harness.oracle import PROTOCOLS, Observation


def pytest_addoption(parser) -> None:
    group = parser.getgroup("wirecheck", "wirecheck conformance tests")
    group.addoption("--wirecheck-target", metavar="TARGET",
                    help="collect wirecheck's vectors and properties against TARGET: tcp://HOST:PORT, "
                         "'cmd:COMMAND ... {port} ...', python:package.module:factory or reference")  # fmt: skip
    group.addoption("--wirecheck-protocol", action="append", choices=PROTOCOLS, metavar="P",
                    help="protocol(s) to test; one for a socket endpoint")  # fmt: skip
    group.addoption("--wirecheck-max-length", type=int, metavar="N")
    group.addoption("--wirecheck-delimiter", metavar="D", help="lines: crlf, lf, cr, nul or hex:..")
    group.addoption("--wirecheck-dialects", metavar="LIST", help="Banana: dialects offered/known, e.g. pb,none")
    group.addoption("--wirecheck-strict", action="store_true", default=None, help="Banana: strict groups")
    group.addoption("--wirecheck-only", choices=("vectors", "properties"), help="collect only these")
    group.addoption("--wirecheck-examples", type=int, default=50, metavar="N", help="examples per property (50)")
    group.addoption("--wirecheck-seed", type=int, metavar="S", help="seed for the properties (default: fixed 0)")
    group.addoption("--wirecheck-timeout", type=float, default=5.0, metavar="S", help="per-delivery timeout")
    group.addoption("--wirecheck-vectors", metavar="DIR", help="golden vector directory (default: bundled)")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "wirecheck_vector: a wirecheck golden-vector test (collected by the plugin)")
    config.addinivalue_line("markers", "wirecheck_property: a wirecheck property test (collected by the plugin)")


class _Settings:
    """The plugin's options, resolved once per process."""

    def __init__(self, config) -> None:
        from harness.cli import DEFAULT_PARAMS, parse_delimiter

        opt = config.getoption
        self.spec = opt("--wirecheck-target")
        self.protocols = opt("--wirecheck-protocol") or []
        params: dict = {}
        if opt("--wirecheck-max-length") is not None:
            params["max_length"] = opt("--wirecheck-max-length")
        if opt("--wirecheck-delimiter") is not None:
            try:
                params["delimiter"] = parse_delimiter(opt("--wirecheck-delimiter")).hex()
            except Exception as exc:
                raise pytest.UsageError(f"--wirecheck-delimiter: {exc}") from None
        if opt("--wirecheck-dialects"):
            params["dialects"] = [d for d in opt("--wirecheck-dialects").split(",") if d]
        if opt("--wirecheck-strict") is not None:
            params["strict"] = True
        if self.spec and self.spec != "reference" and not self.spec.startswith(("tcp://", "cmd:", "python:")):
            raise pytest.UsageError(
                f"--wirecheck-target {self.spec!r}: use tcp://HOST:PORT, 'cmd:COMMAND ... {{port}} ...', "
                "python:package.module:factory or reference"
            )
        self.endpoint = bool(self.spec) and self.spec.split(":", 1)[0] in ("tcp", "cmd")
        if self.endpoint:
            if len(set(self.protocols)) != 1:
                raise pytest.UsageError("--wirecheck-target: a socket endpoint needs exactly one --wirecheck-protocol")
            params = {**DEFAULT_PARAMS[self.protocols[0]], **params}
        self.params = params
        self.only = opt("--wirecheck-only")
        self.examples = opt("--wirecheck-examples")
        self.seed = opt("--wirecheck-seed") if opt("--wirecheck-seed") is not None else 0
        self.timeout = opt("--wirecheck-timeout")
        self.vectors = opt("--wirecheck-vectors")
        self._target = None

    def target(self):
        """This process's target, opened on first use (a cmd: server starts once per worker)."""
        if self._target is None:
            from harness.targets import ReferenceTarget
            from harness.targets.base import TargetError

            if not self.spec or self.spec == "reference":
                self._target = ReferenceTarget()
            else:
                from harness.cli import UsageError, make_target

                try:
                    self._target = make_target(self.spec, self.timeout, 0.0)
                except (TargetError, UsageError) as exc:
                    raise pytest.UsageError(f"--wirecheck-target: {exc}") from None
        return self._target

    def close(self) -> None:
        if self._target is not None and hasattr(self._target, "close"):
            self._target.close()


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
        from harness.runner import FAILING, UNIMPLEMENTED, describe, run_case

        case = run_case(_settings(self.config).target(), self.vector)
        if case.verdict == UNIMPLEMENTED:
            pytest.skip(f"unimplemented by this target: {case.detail}")
        if case.verdict in FAILING:
            v = self.vector
            raise WirecheckFailure(
                f"{case.verdict.upper()} {v.id} [{case.delivery}]: {case.detail}\n"
                f"  {v.description}\n  expected: {describe(v.expected)}\n  flags: {', '.join(v.flags)}\n"
                f"  rerun: wirecheck run --only vectors --case {v.id} --protocol {v.protocol} ..."
            )


class PropertyItem(_WirecheckItem):
    def __init__(self, *, prop: str, protocol: str, params: dict, **kwargs) -> None:
        super().__init__(**kwargs)
        self.prop, self.protocol, self.params = prop, protocol, params
        self.add_marker("wirecheck_property")

    def runtest(self) -> None:
        from harness.properties import run_property

        settings = _settings(self.config)
        result = run_property(
            settings.target(), self.prop, self.protocol, self.params, examples=settings.examples,
            seed=settings.seed, replay_target=settings.spec or "",
        )  # fmt: skip
        if result.verdict == "unimplemented":
            pytest.skip(f"unimplemented by this target: {result.detail}")
        if result.verdict != "pass":
            raise WirecheckFailure(result.report())


class WirecheckCollector(pytest.Collector):
    def collect(self):
        settings = _settings(self.config)
        items = []
        if settings.only != "properties":
            from harness.runner import select
            from harness.vectors import VectorFileError, load

            try:
                vector_set = load(settings.vectors)
            except VectorFileError as exc:
                raise pytest.UsageError(f"wirecheck: {exc}") from None
            chosen = select(vector_set.vectors, settings.protocols or None, settings.params)
            items += [VectorItem.from_parent(self, name=v.id, vector=v) for v in chosen]
        if settings.only != "vectors":
            from harness.cli import PROPERTY_NAMES
            from harness.properties import configurations

            for protocol, params in configurations(settings.protocols or list(PROTOCOLS), settings.params):
                suffix = f"-{params['dialect']}" if protocol == "banana" else ""
                for name in PROPERTY_NAMES:
                    items.append(PropertyItem.from_parent(
                        self, name=f"property-{protocol}{suffix}-{name}", prop=name, protocol=protocol, params=params
                    ))  # fmt: skip
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
        from harness.properties import full_params

        self.target, self.protocol = target, protocol
        self.params = full_params(protocol, params)

    def using(self, protocol: str, **params) -> TargetHandle:
        return TargetHandle(self.target, protocol, params)

    def deliver(self, chunks) -> Observation:
        from harness.properties import replay_case

        chunks = [bytes(c) for c in chunks]
        return self.target.deliver(replay_case(self.protocol, self.params, chunks), chunks)

    def expect(self, chunks) -> Observation:
        from harness.oracle import predict
        from harness.properties import PROPERTIES, Case, check_case

        chunks = [bytes(c) for c in chunks if c]
        expected, alternatives = predict(self.protocol, self.params, b"".join(chunks))
        case = Case(self.protocol, self.params, chunks, expected, alternatives)
        problem, obs = check_case(self.target, PROPERTIES["differential"], case)
        if problem:
            from harness.properties import compact_hex

            raise AssertionError(f"{problem}\n  reads: {','.join(compact_hex(c) for c in chunks)}")
        return obs


@pytest.fixture(scope="session")
def wirecheck_target(request) -> TargetHandle:
    """The --wirecheck-target (default: the in-process reference) for the first --wirecheck-protocol
    (default netstring), with the --wirecheck-* parameters.  Session-scoped, so Hypothesis's
    @given tests can use it."""
    settings = _settings(request.config)
    protocol = settings.protocols[0] if settings.protocols else "netstring"
    params = {k: v for k, v in settings.params.items() if k in ("max_length", "delimiter", "strict")}
    if protocol == "banana":
        params["dialect"] = (settings.params.get("dialects") or ["none"])[0]
    return TargetHandle(settings.target(), protocol, params)
