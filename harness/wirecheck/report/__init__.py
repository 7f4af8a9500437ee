"""Run results as files: versioned JSON (``json_report``) and JUnit XML (``junit``)."""

from wirecheck.fileio import write_atomically

__all__ = ["write_atomically"]
