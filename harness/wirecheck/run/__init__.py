"""Runs: options shared by the command line and the pytest plugin, planning, the run flow,
many vectors on one target (``runner``), and exit codes."""

from .options import OptionParam, RunOptions, make_target, open_target, option_params, parse_option, split_host_port
from .plan import configurations
from .runner import RunResult, run
from .session import EXIT_FAIL, EXIT_OK, EXIT_USAGE, Outcome, Reporter, execute

__all__ = [
    "EXIT_FAIL",
    "EXIT_OK",
    "EXIT_USAGE",
    "OptionParam",
    "Outcome",
    "Reporter",
    "RunOptions",
    "RunResult",
    "configurations",
    "execute",
    "make_target",
    "open_target",
    "option_params",
    "parse_option",
    "run",
    "split_host_port",
]
