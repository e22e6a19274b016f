"""Releasing a finished step's memory: the heap shrinks back after a large, freed allocation."""

from __future__ import annotations

import sys

import pytest

from benchmarks.procmon import tree_rss_bytes
from orchestration.memory import release_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc")
def test_release_memory_hands_freed_small_objects_back():
    import os

    before = tree_rss_bytes(os.getpid())
    rows = [{"kpi": f"N{i:05d}", "value": float(i), "year": 2000 + i % 20} for i in range(400_000)]
    grown = tree_rss_bytes(os.getpid())
    del rows
    assert release_memory() is True
    after = tree_rss_bytes(os.getpid())
    assert grown - before > 100 * 2**20  # the rows took over 100 MB …
    assert after - before < (grown - before) / 2  # … and most of it went back
