"""Golden vectors: loading and validation (``model``), linting against the oracle (``lint``)."""

from wirecheck.errors import VectorFileError
from wirecheck.oracle import Expectation

from .model import Vector, VectorSet, default_directory, family_files, load

__all__ = ["Expectation", "Vector", "VectorFileError", "VectorSet", "default_directory", "family_files", "load"]
