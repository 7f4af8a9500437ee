"""Implementations under test as data: ``implementations/NAME/manifest.json`` (docs/implementations.md).

A manifest names the library, how its version is read, what it needs installed, and the
configurations it is tested with, each with the command that starts it.  Loading checks
the manifest's shape (one clear error per bad file, never a traceback); availability is
decided by looking, never by failing a run.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import ParameterError, UsageError

MANIFEST = "manifest.json"
#: Bytes of a manifest read at most, and seconds a check or version command may take.
MANIFEST_LIMIT = 256 * 1024
PROBE_TIMEOUT = 30.0
#: server and stdio configurations are cells of the framing matrix; client configurations are request/reply
#: clients (docs/client-contract.md), run by ``wirecheck clients --impl NAME``.
ROLES = ("server", "stdio", "client")
INSTALL_KINDS = ("pip", "npm", "debian", "jdk")


@dataclass(frozen=True)
class Configuration:
    protocol: str
    params: dict
    command: str
    role: str = "server"
    chunked: bool = False
    #: A client's request/reply profile, and its in-process adapter (``FILE.py:factory``, '' when none).
    profile: str = "plain"
    python: str = ""

    @property
    def key(self) -> str:
        """``protocol {params}``: how results, baselines and diffs name a configuration."""
        return f"{self.protocol} {json.dumps(self.params, sort_keys=True)}"


@dataclass
class Implementation:
    name: str
    directory: Path
    language: str
    library: str
    home: str
    summary: str
    version_command: list[str]
    requires: list[str]
    check: list[str]
    install: list[dict]
    configurations: list[Configuration]
    notes: str = ""
    #: Why it cannot run here ('' when it can): filled by ``probe``.
    unavailable: str = ""
    version: str = ""
    extra: dict = field(default_factory=dict)

    def expand(self, text: str, params: dict | None = None, quote: bool = True) -> str:
        """``text`` with {dir}, {root}, {python} and the parameters filled in ({port} is left for
        cmd:); ``quote``: for a command line (shell-quoted), not one argv word."""
        values = {"dir": str(self.directory), "root": str(self.directory.parent), "python": sys.executable}
        for name, value in (params or {}).items():
            values[name] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
        out = text
        for name, value in values.items():
            out = out.replace("{" + name + "}", shlex.quote(value) if quote else value)
        return out

    def target(self, config: Configuration) -> str:
        """The --target of a run of ``config``."""
        command = self.expand(config.command, config.params)
        if config.role == "stdio":
            return ("stdio-chunked:" if config.chunked else "stdio:") + command
        return "cmd:" + command

    def install_lines(self) -> list[str]:
        return [self.expand(step["command"]) for step in self.install]


def _fail(path: Path, what: str) -> UsageError:
    return UsageError(f"{path}: {what}")


def _strings(path: Path, doc: dict, key: str, required: bool = True) -> list[str]:
    value = doc.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"'{key}' must be a list of strings")
    return value


def _text(path: Path, doc: dict, key: str, required: bool = True) -> str:
    value = doc.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(path, f"'{key}' must be a non-empty string")
    return value


def load_manifest(directory: Path) -> Implementation:
    """One implementation's manifest, checked; UsageError saying what is wrong."""
    path = directory / MANIFEST
    try:
        with open(path, "rb") as f:
            raw = f.read(MANIFEST_LIMIT + 1)
    except OSError as exc:
        raise _fail(path, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MANIFEST_LIMIT:
        raise _fail(path, f"larger than {MANIFEST_LIMIT} bytes")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise _fail(path, f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise _fail(path, "must be a JSON object")
    if doc.get("name") != directory.name:
        raise _fail(path, f"'name' must be the folder's name, {directory.name!r}")
    install = doc.get("install", [])
    if not isinstance(install, list) or not all(
        isinstance(s, dict) and s.get("kind") in INSTALL_KINDS and isinstance(s.get("command"), str) for s in install
    ):
        raise _fail(path, f"'install' must be a list of {{kind: {'|'.join(INSTALL_KINDS)}, command: string}}")
    configs = doc.get("configurations")
    if not isinstance(configs, list) or not configs:
        raise _fail(path, "'configurations' must be a non-empty list")
    return Implementation(
        name=directory.name,
        directory=directory.resolve(),
        language=_text(path, doc, "language"),
        library=_text(path, doc, "library"),
        home=_text(path, doc, "home"),
        summary=_text(path, doc, "summary"),
        version_command=_strings(path, doc, "version"),
        requires=_strings(path, doc, "requires", required=False),
        check=_strings(path, doc, "check", required=False),
        install=install,
        configurations=[_configuration(path, i, c) for i, c in enumerate(configs)],
        notes=_text(path, doc, "notes", required=False),
    )


def _configuration(path: Path, index: int, doc) -> Configuration:
    where = f"configurations[{index}]"
    if not isinstance(doc, dict):
        raise _fail(path, f"{where} must be an object")
    protocol, params, command = doc.get("protocol"), doc.get("params", {}), doc.get("command")
    role = doc.get("role", "server")
    if protocol not in protocols.names():
        raise _fail(path, f"{where}: unknown protocol {protocol!r}")
    if not isinstance(params, dict) or not isinstance(command, str) or not command.strip():
        raise _fail(path, f"{where}: 'params' must be an object and 'command' a string")
    if role not in ROLES:
        raise _fail(path, f"{where}: 'role' must be one of {', '.join(ROLES)}")
    if role in ("server", "client") and "{port}" not in command:
        raise _fail(path, f"{where}: a {role}'s command must contain {{port}}")
    profile, python = doc.get("profile", "plain"), doc.get("python", "")
    if role == "client" and (profile not in ("plain", "numbered") or not isinstance(python, str)):
        raise _fail(path, f"{where}: a client's 'profile' is plain or numbered, and 'python' a FILE.py:factory")
    try:
        protocols.complete(protocols.get(protocol), params)
    except ParameterError as exc:
        raise _fail(path, f"{where}: {exc}") from None
    chunked = doc.get("stdin", "raw") == "chunked"
    return Configuration(protocol, params, command, role, chunked, profile, python if role == "client" else "")


def discover(root: Path, names: list[str] | None = None) -> list[Implementation]:
    """Every implementation under ``root`` (only ``names``, when given, in that order)."""
    found = {d.name: d for d in sorted(root.iterdir()) if (d / MANIFEST).is_file()} if root.is_dir() else {}
    if names:
        unknown = [n for n in names if n not in found]
        if unknown:
            raise UsageError(f"--impl {unknown[0]!r}: no such implementation; choose from {', '.join(found)}")
        return [load_manifest(found[n]) for n in names]
    return [load_manifest(d) for d in found.values()]


def _run(impl: Implementation, argv: list[str]) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run([impl.expand(a, quote=False) for a in argv], cwd=impl.directory,
                              capture_output=True, timeout=PROBE_TIMEOUT, stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None


def probe(impl: Implementation) -> Implementation:
    """Fill in ``unavailable`` (what is missing) and ``version`` by looking, never by running a test."""
    missing = [r for r in impl.requires if shutil.which(r) is None]
    if missing:
        impl.unavailable = f"{', '.join(missing)} not found"
        return impl
    if impl.check:
        done = _run(impl, impl.check)
        if done is None or done.returncode != 0:
            impl.unavailable = "its check failed: the library is not installed"
            return impl
    done = _run(impl, impl.version_command)
    if done is not None and done.returncode == 0:
        first = done.stdout.decode("utf-8", "replace").strip().splitlines()
        impl.version = first[0][:100] if first else ""
    return impl
