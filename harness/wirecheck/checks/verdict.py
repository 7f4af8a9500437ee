"""Verdicts: what a check concluded about one vector or one property."""

from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    """The outcome of one check.  The value is the word the reports use."""

    #: The target did what the reference does.
    PASS = "pass"
    #: The target did something else that the vector or the specification allows.
    ACCEPTABLE = "acceptable"
    #: The target does not conform.
    FAIL = "fail"
    #: The target neither answered nor closed in time.
    TIMEOUT = "timeout"
    #: The target could not be driven (a crash in an adapter, an endpoint that vanished).
    ERROR = "error"
    #: The target does not implement this configuration: shown, never a failure.
    UNIMPLEMENTED = "unimplemented"
    #: The check never ran to its end: the run was cut short (its deadline passed, the endpoint
    #: went away before it).  Says nothing about the target; a run with any is incomplete.
    NOT_RUN = "not-run"

    @property
    def failing(self) -> bool:
        """Does this verdict fail a run?"""
        return self in FAILING

    @property
    def held(self) -> bool:
        """Did the target meet what was allowed?"""
        return self in (Verdict.PASS, Verdict.ACCEPTABLE)

    @property
    def word(self) -> str:
        """How the console shows it: ``FAIL``, ``NOT RUN``."""
        return self.value.replace("-", " ").upper()

    def __str__(self) -> str:
        return self.value


#: Verdicts that fail a run.  ``unimplemented`` is shown but fails nothing.
FAILING = frozenset({Verdict.FAIL, Verdict.ERROR, Verdict.TIMEOUT})
