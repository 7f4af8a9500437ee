"""Loading Python code named by the user: ``package.module:attr`` or ``path/to/file.py:attr``.

A file is loaded under a private module name derived from its path, so that an
implementation's folder (``implementations/asyncio/adapter.py``) needs to be neither
installed nor on ``sys.path``; when the folder has an ``__init__.py`` it is loaded as a
package first, so the file's relative imports work.  Only the standard library is
imported here.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType


class LoadError(Exception):
    """The module or attribute could not be loaded; the message says why, in one line."""


def load_module(name_or_path: str) -> ModuleType:
    """Import a module by dotted name, or load it from a ``.py`` file path."""
    if name_or_path.endswith(".py") or "/" in name_or_path:
        return _load_file(Path(name_or_path))
    try:
        return importlib.import_module(name_or_path)
    except ImportError as exc:
        raise LoadError(f"cannot import {name_or_path}: {exc}") from None
    except Exception as exc:  # importing user code may fail in any way; say so, do not crash
        raise LoadError(f"importing {name_or_path} failed: {type(exc).__name__}: {exc}") from None


def load_attribute(spec: str) -> object:
    """``module:attr`` (``attr`` may be dotted) -> the object it names."""
    module_name, sep, attr = spec.rpartition(":")
    if not sep or not module_name or not attr:
        raise LoadError("expected package.module:name or path/to/file.py:name")
    obj: object = load_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            raise LoadError(f"{module_name} has no attribute {attr}")
    return obj


def _private_name(path: Path) -> str:
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:10]
    return f"_wirecheck_loaded_{digest}_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}"


def _load_file(path: Path) -> ModuleType:
    path = path.resolve()
    if not path.is_file():
        raise LoadError(f"no such file: {path}")
    folder = path.parent
    if (folder / "__init__.py").is_file() and path.name != "__init__.py":
        package = _exec(_private_name(folder), folder / "__init__.py", folder)
        try:
            return importlib.import_module(f"{package.__name__}.{path.stem}")
        except Exception as exc:
            raise LoadError(f"loading {path} failed: {type(exc).__name__}: {exc}") from None
    return _exec(_private_name(path), path, None)


def _exec(name: str, path: Path, package_dir: Path | None) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    locations = [str(package_dir)] if package_dir is not None else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise LoadError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise LoadError(f"loading {path} failed: {type(exc).__name__}: {exc}") from None
    return module
