"""Shared helpers for wirecheck's own tests."""

from __future__ import annotations

import os
from itertools import pairwise

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("WIRECHECK_HYPOTHESIS_PROFILE", "ci"))


@st.composite
def splits(draw, data: bytes):
    """``data`` cut into a list of chunks at drawn points (possibly none)."""
    if len(data) < 2:
        return [data]
    cuts = sorted(draw(st.sets(st.integers(1, len(data) - 1), max_size=min(8, len(data) - 1))))
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in pairwise(bounds)]


def feed_all(decoder, chunks):
    events = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events
