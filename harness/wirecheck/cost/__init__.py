"""Resource conformance (``wirecheck cost``): how a target's time grows with its input.

The public face: ``WORKLOADS`` (``workloads``), the meters that time one delivery
(``meter_for``), ``probe`` with its ``Limits``, the verdicts (``CostVerdict``) and the fit
that decides them (``fit.judge``), and ``svg`` for the plot of a finding.  docs/cost.md
describes the method and how it guards its verdicts against a noisy machine.
"""

from .fit import CostVerdict, Point, judge
from .meters import InProcessMeter, SocketMeter, StdioMeter, meter_for
from .plot import svg
from .probe import Limits, WorkloadResult, probe
from .workloads import WORKLOADS, Workload, for_protocol

__all__ = [
    "WORKLOADS",
    "CostVerdict",
    "InProcessMeter",
    "Limits",
    "Point",
    "SocketMeter",
    "StdioMeter",
    "Workload",
    "WorkloadResult",
    "for_protocol",
    "judge",
    "meter_for",
    "probe",
    "svg",
]
