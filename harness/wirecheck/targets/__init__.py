"""Targets: what a run delivers streams to.  One interface (``wirecheck.checks.Target``),
several transports: the in-process reference, ``python:`` adapters, a TCP server
(``tcp://``), a server wirecheck starts (``cmd:``), a decoder fed on standard input
(``stdio:``), and a client that connects (``--listen``)."""

from wirecheck.checks import Target
from wirecheck.errors import EndpointUnavailable, TargetError, TargetTimeout, Unsupported

from .command import CommandTarget
from .endpoint import EndpointTarget, ListenTarget, TcpTarget
from .python import PythonTarget
from .reference import ReferenceTarget
from .stdio import StdioTarget

__all__ = [
    "CommandTarget",
    "EndpointTarget",
    "EndpointUnavailable",
    "ListenTarget",
    "PythonTarget",
    "ReferenceTarget",
    "StdioTarget",
    "Target",
    "TargetError",
    "TargetTimeout",
    "TcpTarget",
    "Unsupported",
]
