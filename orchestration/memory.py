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


@dg.success_hook(name="release_memory_on_success")
def release_memory_on_success(context: dg.HookContext) -> None:
    release_memory()


@dg.failure_hook(name="release_memory_on_failure")
def release_memory_on_failure(context: dg.HookContext) -> None:
    release_memory()
