"""Hand the memory a finished step freed back to the operating system.

The nightly job runs every step in one process (DuckDB has one writer), so the process's resident
size is the high-water mark of all its steps: CPython and glibc keep freed memory for reuse.
After each step, a garbage collection, pyarrow's pool and glibc's ``malloc_trim(0)`` return the
free pages, so a step's peak no longer stacks on the leftovers of the steps before it (at country
scale this took the peak from 2.3 to 1.8 GB; benchmarks/). Elsewhere than glibc (macOS, musl)
the trim is skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
from functools import cache

import dagster as dg


@cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None


# Below this resident size there is little to hand back, and a full collection of a large heap
# costs ~0.2 s a step: a no-change night (~450 MB) skips it.
RELEASE_ABOVE_MB = 768


def resident_mb() -> float:
    """This process's resident set now (Linux /proc; 0 where that is not available)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def release_memory() -> bool:
    """Collect garbage, hand pyarrow's pool its unused memory and trim the C heap; True when
    the heap was trimmed (glibc)."""
    gc.collect()
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        pyarrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def release_if_large() -> bool:
    """:func:`release_memory` when the process holds more than ``RELEASE_ABOVE_MB``."""
    return resident_mb() > RELEASE_ABOVE_MB and release_memory()


@dg.success_hook(name="release_memory_on_success")
def release_memory_on_success(context: dg.HookContext) -> None:
    release_if_large()


@dg.failure_hook(name="release_memory_on_failure")
def release_memory_on_failure(context: dg.HookContext) -> None:
    release_if_large()
