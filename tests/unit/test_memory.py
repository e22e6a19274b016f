"""Releasing a finished step's memory: the heap shrinks back after a large, freed allocation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

# In a fresh interpreter, so that no earlier test's freed memory hides the growth.
SCRIPT = """
import json, os
from benchmarks.procmon import tree_rss_bytes
from orchestration.defs.memory import release_memory
before = tree_rss_bytes(os.getpid())
rows = [{"kpi": f"N{i:05d}", "value": float(i), "year": 2000 + i % 20} for i in range(400_000)]
grown = tree_rss_bytes(os.getpid())
del rows
trimmed = release_memory()
after = tree_rss_bytes(os.getpid())
print(json.dumps({"before": before, "grown": grown, "after": after, "trimmed": trimmed}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc")
def test_release_memory_hands_freed_small_objects_back():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    m = json.loads(proc.stdout)
    assert m["trimmed"] is True
    assert m["grown"] - m["before"] > 100 * 2**20  # the rows took over 100 MB …
    assert m["after"] - m["before"] < (m["grown"] - m["before"]) / 2  # … and most went back
