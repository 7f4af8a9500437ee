"""Targets: what a run delivers streams to.  One interface, several transports."""

from .base import EndpointUnavailable, Target, TargetError, TargetTimeout, Unsupported
from .command import CommandTarget
from .inprocess import ReferenceTarget
from .listen import ListenTarget
from .tcp import TcpTarget

__all__ = [
    "CommandTarget",
    "EndpointUnavailable",
    "ListenTarget",
    "ReferenceTarget",
    "Target",
    "TargetError",
    "TargetTimeout",
    "TcpTarget",
    "Unsupported",
]
