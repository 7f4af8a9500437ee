"""The implementations under test that ``wirecheck serve --impl NAME`` starts.

Each lives in a folder of its own under ``implementations/`` (the checkout's, or the copy
a wheel installs as ``wirecheck/_implementations``), with a ``server.py`` whose
``serve(protocol, params, host, port, ready, **options)`` runs an echo server until it
is stopped and raises NotImplementedError for a protocol it does not cover.  The
reference server is wirecheck's own (``wirecheck.endpoints.server``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from wirecheck.errors import UsageError
from wirecheck.modules import LoadError, load_module

#: --impl name -> (folder under implementations/, options for its serve(), what it needs installed)
IMPLEMENTATIONS = {
    "twisted": ("twisted", {}, "pip install 'wirecheck[twisted]'"),
    "twisted-lineonly": ("twisted", {"line_only": True}, "pip install 'wirecheck[twisted]'"),
    "asyncio": ("asyncio", {"buffered": False}, ""),
    "asyncio-buffered": ("asyncio", {"buffered": True}, ""),
}
#: Every name ``--impl`` takes.
NAMES = ("reference", *IMPLEMENTATIONS)


def implementations_directory() -> Path:
    """$WIRECHECK_IMPLEMENTATIONS, the checkout's implementations/, or the installed copy."""
    env = os.environ.get("WIRECHECK_IMPLEMENTATIONS")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent.parent
    source_tree = package.parent.parent / "implementations"
    if source_tree.is_dir():
        return source_tree
    return package / "_implementations"


def server(name: str) -> Callable[..., None]:
    """``serve(protocol, params, host, port, ready)`` for ``--impl name`` (blocking)."""
    if name == "reference":
        from .server import serve_forever

        return serve_forever
    folder, options, needs = IMPLEMENTATIONS[name]
    path = implementations_directory() / folder / "server.py"
    try:
        module = load_module(str(path))
    except LoadError as exc:
        hint = f" ({needs})" if needs else ""
        raise UsageError(f"--impl {name}: {exc}{hint}") from None

    def serve(protocol: str, params: dict, host: str, port: int, ready) -> None:
        module.serve(protocol, params, host, port, ready, **options)

    return serve
