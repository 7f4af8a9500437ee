"""Targets: what a run delivers streams to.  One interface, several transports."""

from .base import Target, TargetError
from .inprocess import ReferenceTarget

__all__ = ["ReferenceTarget", "Target", "TargetError"]
