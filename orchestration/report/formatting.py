"""How the report prints figures, places, statuses and sources: one vocabulary for the county
report and the kommun pages. No Dagster imports."""

from __future__ import annotations

import math
import numbers
import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS

# Badge colour per status code; a code the gap method adds later gets the neutral badge.
_STATUS_TONE = {
    "target_met": "good",
    "target_met_worsening": "warn",
    "on_track": "good",
    "nearly_on_track": "good",
    "too_slow": "warn",
    "stagnating": "warn",
    "wrong_direction": "bad",
    INSUFFICIENT: "none",
}
STATUS_CSS = {code: _STATUS_TONE.get(code, "none") for code in STATUS_LABELS}

GROUP = "\u00a0"  # thousands: a no-break space (Swedish: "1 170 000"), never split over lines
MINUS = "\u2212"  # the typographic minus sign
SOURCE_NAMES = {"kolada": "Kolada", "scb": "SCB"}
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


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
    if _missing(v):
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


def place(rank: Any, of: Any) -> str:
    """ "3 av 12", or "–" without a rank."""
    if _missing(rank) or _missing(of):
        return "–"
    return f"{int(rank)} av {int(of)}"


def swedish_date(value: Any) -> str:
    """ "5 december 2026" from a timestamp or an ISO string; the text itself when unreadable."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if pd.isna(ts):
        return "–"
    return f"{ts.day} {MONTHS[ts.month - 1]} {ts.year}"


def swedish_datetime(value: Any) -> str:
    """ "5 december 2026 kl. 09.07"."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    if pd.isna(ts):
        return "–"
    return f"{swedish_date(ts)} kl. {ts:%H.%M}"


def source_label(source: Any, series_id: Any) -> str:
    """Where a figure comes from, as a reader looks it up: "Kolada N07900", or for SCB the
    table's name in Statistikdatabasen ("SCB ArRegArbStatus"), without the query's selection."""
    name = SOURCE_NAMES.get(str(source), str(source))
    series = str(series_id or "")
    if str(source) == "scb":
        table = series.split("|")[0].split("/ContentsCode")[0].rstrip("/")
        series = table.rsplit("/", 1)[-1] if table else series
    return f"{name} {series}".strip()


def source_path(source: Any, series_id: Any) -> str:
    """The full place in the source, for the list of sources: "Kolada N07900", or SCB's path in
    Statistikdatabasen ("AM/AM0210/AM0210D/ArRegArbStatus")."""
    name = SOURCE_NAMES.get(str(source), str(source))
    series = str(series_id or "")
    if str(source) == "scb":
        series = series.split("|")[0].split("/ContentsCode")[0].rstrip("/")
    return f"{name} {series}".strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")


def indicator_anchor(indicator_id: str) -> str:
    """The id of an indicator's charts in the county report."""
    return f"ind-{slug(indicator_id)}"


def genitive(name: str) -> str:
    """Swedish genitive: "Region Gävleborg" → "Region Gävleborgs", "Kalmar" → "Kalmars"; a name
    ending in s, x or z takes nothing."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


__all__ = [
    "STATUS_CSS",
    "count",
    "fmt",
    "fmt_unit",
    "genitive",
    "indicator_anchor",
    "place",
    "short_unit",
    "slug",
    "source_label",
    "source_path",
    "swedish_date",
    "swedish_datetime",
]
