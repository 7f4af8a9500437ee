"""nox sessions: ``nox -s tests``, ``slow``, ``lint``, ``vectors``, ``bench``, ``matrix``, ``clients``, ``fuzz``."""

import json
from pathlib import Path

import nox

nox.options.sessions = ["lint", "vectors", "tests"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite, in parallel, as CI runs it."""
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "auto", *session.posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """The tests marked slow, left out of the default run to keep CI under its budget (tens of minutes)."""
    session.install("-e", ".[test,matrix]")
    session.run("pytest", "-n", "auto", "-m", "slow", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the package, tests, tools and benchmarks, and the layer contract (import-linter)."""
    session.install("-e", ".[lint]")
    places = ["harness", "tests", "tools", "benchmarks", "implementations", "fuzz", "noxfile.py"]
    session.run("ruff", "check", *places)
    session.run("ruff", "format", "--check", *places)
    session.run("lint-imports")


@nox.session
def vectors(session: nox.Session) -> None:
    """The golden vectors: up to date with tools/, valid, and agreeing with the reference."""
    session.install("-e", ".")
    session.run("python", "tools/build_vectors.py", "--check")
    session.run("wirecheck", "vectors", "lint")


@nox.session
def bench(session: nox.Session) -> None:
    """Reference decoders against Twisted's receivers (slow: minutes)."""
    session.install("-e", ".[twisted]")
    session.run("python", "benchmarks/bench_decoders.py", *session.posargs)


@nox.session
def matrix(session: nox.Session) -> None:
    """The published compatibility report (reports/): every implementation whose toolchain is here.

    Installs the Python implementations' pinned libraries and each JavaScript implementation's npm
    packages; Java and Wireshark come from Debian (``wirecheck matrix --install`` prints the lines)."""
    session.install("-e", ".[matrix]")
    for manifest in sorted(Path("implementations").glob("*/manifest.json")):
        steps = json.loads(manifest.read_text()).get("install", [])
        if any(step.get("kind") == "npm" for step in steps):
            session.run("npm", "ci", "--no-audit", "--no-fund", external=True, cwd=str(manifest.parent))
    session.run("wirecheck", "matrix", "--out", "reports", "--deadline", "600", *session.posargs)


@nox.session
def clients(session: nox.Session) -> None:
    """The client scenarios (lint), every bundled client over TCP against its baseline, and reports/clients."""
    session.install("-e", ".[test]")
    session.run("wirecheck", "clients", "lint")
    for manifest in sorted(Path("implementations").glob("*/manifest.json")):
        configs = json.loads(manifest.read_text()).get("configurations", [])
        if any(c.get("role") == "client" for c in configs):
            name = manifest.parent.name
            session.run("wirecheck", "clients", "--impl", name, "--baseline", str(manifest.parent / "baseline.json"))
    session.run("wirecheck", "clients", "matrix", "--out", "reports/clients")


@nox.session
def fuzz(session: nox.Session) -> None:
    """Each reference codec fuzzed against its own invariants (fuzz/*.py), as ClusterFuzzLite runs
    them: ``nox -s fuzz`` gives each 5 minutes; ``nox -s fuzz -- -runs=100000`` any libFuzzer budget."""
    session.install("-e", ".[fuzz]")
    budget = session.posargs or ["-max_total_time=300"]
    for script in sorted(Path("fuzz").glob("*.py")):
        corpus = Path(".wirecheck") / "fuzz" / "invariants" / script.stem  # kept between runs
        session.run("python", "-m", "wirecheck.fuzz.seeds", script.stem, str(corpus))
        session.run("python", str(script), *budget, str(corpus))
