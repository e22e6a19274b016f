"""How the report prints places, dates and sources (figures: gap_method/numbers.py): one
vocabulary for the county report and the kommun pages. No Dagster imports."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from orchestration.gap_method.numbers import is_missing

SOURCE_NAMES = {"kolada": "Kolada", "scb": "SCB", "ratio": "beräknad:"}
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


def place(rank: Any, of: Any) -> str:
    """ "3 av 12", or "–" without a rank."""
    if is_missing(rank) or is_missing(of):
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
    table's name in Statistikdatabasen ("SCB ArRegArbStatus"), without the query's selection;
    a ratio of two series as its formula ("beräknad: N45941 ÷ NR0105AH")."""
    name = SOURCE_NAMES.get(str(source), str(source))
    series = str(series_id or "")
    if str(source) == "ratio":
        series = " ÷ ".join(series.split("/", 1))
    if str(source) == "scb":
        table = series.split("|")[0].split("/ContentsCode")[0].rstrip("/")
        series = table.rsplit("/", 1)[-1] if table else series
    return f"{name} {series}".strip()


def source_path(source: Any, series_id: Any) -> str:
    """The full place in the source, for the list of sources: "Kolada N07900", or SCB's path in
    Statistikdatabasen ("AM/AM0210/AM0210D/ArRegArbStatus")."""
    name = SOURCE_NAMES.get(str(source), str(source))
    series = str(series_id or "")
    if str(source) == "ratio":
        series = " ÷ ".join(series.split("/", 1))
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
    "genitive",
    "indicator_anchor",
    "place",
    "slug",
    "source_label",
    "source_path",
    "swedish_date",
    "swedish_datetime",
]
