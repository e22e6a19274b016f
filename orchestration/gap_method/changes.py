"""Levels and changes in words a reader cannot misread (docs/method.md §11).

A share changes in procentenheter ("minskade med 1,6 procentenheter"), every other measure in
per cent of where it started ("ökade med 12 %"), always with the direction in words. A level is
printed with its unit ("3,9 %", "1 173 943 ton CO2-ekv"). Pure functions; no Dagster imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orchestration.gap_method.numbers import as_float, fmt

SHARE_SCALE = "percent"  # the catalogue's scale of a share (andel, procent)
UNITLESS = {"antal", ""}  # units that add nothing after the figure


def is_share(meta: Mapping[str, Any]) -> bool:
    return meta.get("scale") == SHARE_SCALE


def level(value: Any, meta: Mapping[str, Any]) -> str:
    """A value with its unit: "3,9 %" for a share, "1 173 943 ton CO2-ekv" otherwise."""
    v = as_float(value)
    if v is None:
        return "–"
    if is_share(meta):
        return f"{fmt(v)} %"
    unit = str(meta.get("unit") or "").strip()
    return fmt(v) if unit in UNITLESS else f"{fmt(v)} {unit}"


def difference(a: Any, b: Any, meta: Mapping[str, Any]) -> str | None:
    """The size of a − b without its sign: "1,6 procentenheter" for a share, else "29 %" of
    |b| (or the difference with its unit when b is 0). None when either is missing."""
    x, y = as_float(a), as_float(b)
    if x is None or y is None:
        return None
    if is_share(meta):
        return f"{fmt(abs(x - y), 2)} procentenheter"
    if y == 0:
        return level(abs(x - y), meta)
    return f"{fmt(abs(x - y) / abs(y) * 100, 2)} %"


def change(old: Any, new: Any, meta: Mapping[str, Any]) -> str | None:
    """ "ökade med 12 %", "minskade med 1,6 procentenheter", "var oförändrad"; None when either
    value is missing."""
    size = difference(new, old, meta)
    if size is None:
        return None
    x, y = float(old), float(new)
    if x == y:
        return "var oförändrad"
    return f"{'ökade' if y > x else 'minskade'} med {size}"


def per_year(slope: Any, meta: Mapping[str, Any]) -> str:
    """A slope with its sign and unit: "+0,8 procentenheter per år" for a share, "−12 ton per
    år" otherwise; "–" without one."""
    v = as_float(slope)
    if v is None:
        return "–"
    unit = "procentenheter" if is_share(meta) else str(meta.get("unit") or "").strip()
    unit = "" if unit in UNITLESS else f" {unit}"
    return f"{'+' if v > 0 else ''}{fmt(v, 2)}{unit} per år"


def compared(value: Any, reference: Any, meta: Mapping[str, Any]) -> str | None:
    """ "1,6 procentenheter högre", "12 % lägre": a value against a reference, direction in words
    (higher/lower, not better/worse: whether that is good is the statement's business)."""
    size = difference(value, reference, meta)
    if size is None:
        return None
    if float(value) == float(reference):
        return "lika"
    return f"{size} {'högre' if float(value) > float(reference) else 'lägre'}"


def position(value: Any, benchmark: Any, sign: float, meta: Mapping[str, Any]) -> str | None:
    """Where a value stands against a benchmark in the desired direction (``sign`` = d):
    "1,1 procentenheter före", "12 % efter", "i nivå med"."""
    size = difference(value, benchmark, meta)
    if size is None:
        return None
    ahead = sign * (float(value) - float(benchmark))
    if ahead == 0:
        return "i nivå med"
    return f"{size} {'före' if ahead > 0 else 'efter'}"
