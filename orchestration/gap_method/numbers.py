"""How a figure is printed in Swedish: plain notation, decimal comma, no-break thousands, the
typographic minus. One vocabulary for the statements (gap_statements), the report and the kommun
pages. Pure functions; no Dagster imports."""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pandas as pd

GROUP = "\u00a0"  # thousands: a no-break space (Swedish: "1 170 000"), never split over lines
MINUS = "\u2212"  # the typographic minus sign


def is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def as_float(v: Any) -> float | None:
    """A float, or None for a missing or unreadable value (NaN included)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _grouped(digits: str) -> str:
    """ "1170000" → "1 170 000" (digits only, no sign)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return GROUP.join(parts)


def fmt(v: Any, digits: int = 3) -> str:
    """A figure as the report prints it: plain Swedish notation, never e-notation.

    ``digits`` significant digits (default three: 85,6 · 5,92 · 0,000123), but never fewer than
    the integer part has (1 172 345 → "1 170 000"); decimal comma, a no-break space between
    thousands (also for four digits, so columns line up: "2 020"), a typographic minus, trailing
    zeros dropped. Integers print whole ("304 805"). "–" for none.
    """
    if is_missing(v):
        return "–"
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return str(v)
    if isinstance(v, numbers.Integral):
        n = int(v)
        return (MINUS if n < 0 else "") + _grouped(str(abs(n)))
    x = float(v)
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    places = digits - 1 - exponent  # decimals kept; negative: round to tens, hundreds, …
    rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)
    text = format(abs(rounded), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if set(whole + fraction) <= {"0"}:
        return "0"
    sign = MINUS if rounded < 0 else ""
    return sign + _grouped(whole) + ("," + fraction if fraction else "")


def fmt_unit(v: Any, unit: str | None) -> str:
    """A figure with its unit as a reader writes it: "85,6 %", "1 170 000 ton CO2-ekv"."""
    text = fmt(v)
    if text == "–" or not unit:
        return text
    return f"{text} {short_unit(unit)}"


def short_unit(unit: str) -> str:
    """The catalogue's unit as printed after a figure: shares as "%"."""
    u = unit.strip()
    if u in ("andel (%)", "procent", "%"):
        return "%"
    return u


def count(n: int, one: str, many: str) -> str:
    """ "1 värde", "2 värden": the number with the right form of the noun."""
    return f"{fmt(int(n))} {one if int(n) == 1 else many}"
