"""Ways of cutting one byte stream into reads."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from hypothesis import strategies as st


@st.composite
def chunkings(draw, data: bytes, favour: Iterable[int] = (), max_chunks: int | None = None) -> list[bytes]:
    """Every way of splitting ``data`` into non-empty writes, shrinking towards the fewest splits.

    Cut points are drawn as a list, so Hypothesis shrinks a failing example by
    dropping cuts (down to the whole stream in one write) and moving the rest
    towards the start.  ``favour`` names offsets worth cutting at or next to (frame
    boundaries, delimiter bytes, the byte after a length prefix): a cut lands on one
    of them, give or take one byte, about half the time, because a bug that needs a
    CR and its LF in different reads is otherwise a needle in a 16 KiB haystack.
    ``max_chunks`` bounds the number of writes (socket targets pace each one).
    """
    if len(data) < 2:
        return [bytes(data)] if data else []
    favoured = sorted({p + d for p in favour for d in (-1, 0, 1) if 0 < p + d < len(data)})
    anywhere = st.integers(1, len(data) - 1)
    cut = st.one_of(anywhere, st.sampled_from(favoured)) if favoured else anywhere
    most = len(data) - 1 if max_chunks is None else min(len(data) - 1, max_chunks - 1)
    cuts = sorted(set(draw(st.lists(cut, max_size=most))))
    bounds = [0, *cuts, len(data)]
    return [bytes(data[a:b]) for a, b in pairwise(bounds)]


def every_chunking(data: bytes) -> Iterable[list[bytes]]:
    """All 2**(n-1) splittings of a short ``data``, for exhaustive checks of tiny inputs."""
    n = len(data)
    if n == 0:
        yield []
        return
    for mask in range(1 << (n - 1)):
        out, start = [], 0
        for i in range(1, n):
            if mask >> (i - 1) & 1:
                out.append(bytes(data[start:i]))
                start = i
        out.append(bytes(data[start:]))
        yield out
