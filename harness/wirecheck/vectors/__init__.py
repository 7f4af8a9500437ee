"""Golden vectors: loading and validation (``model``), templates (``template``, ``expr``),
what a run selects (``select``), and linting against the oracle (``lint``)."""

from wirecheck.errors import VectorFileError
from wirecheck.oracle import Expectation

from .model import INSTANCE_LIMIT, Entry, Vector, VectorSet, default_directory, family_files, load
from .select import Selection, configurations, instances, parse_instance_id
from .template import TooLarge

__all__ = [
    "INSTANCE_LIMIT",
    "Entry",
    "Expectation",
    "Selection",
    "TooLarge",
    "Vector",
    "VectorFileError",
    "VectorSet",
    "configurations",
    "default_directory",
    "family_files",
    "instances",
    "load",
    "parse_instance_id",
]
