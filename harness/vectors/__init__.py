"""Golden vectors: loading, validation (``model``) and linting against the oracle (``lint``)."""

from .model import (
    Expectation,
    Vector,
    VectorFileError,
    VectorSet,
    default_directory,
    load,
)

__all__ = ["Expectation", "Vector", "VectorFileError", "VectorSet", "default_directory", "load"]
