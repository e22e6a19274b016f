"""How the report prints figures, places and statuses: one vocabulary for the county report and
the kommun pages. No Dagster imports."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT

STATUS_CSS = {
    "target_met": "good",
    "target_met_worsening": "warn",
    "on_track": "good",
    "nearly_on_track": "good",
    "too_slow": "warn",
    "stagnating": "warn",
    "wrong_direction": "bad",
    INSUFFICIENT: "none",
}


def fmt(v: Any, digits: int = 3) -> str:
    """A figure as the report prints it: three significant digits, Swedish decimal comma, "–"
    for none."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}g}".replace(".", ",")
    return str(v)


def place(rank: Any, of: Any) -> str:
    """ "3 av 12", or "–" without a rank."""
    if rank is None or of is None or pd.isna(rank) or pd.isna(of):
        return "–"
    return f"{int(rank)} av {int(of)}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")


def indicator_anchor(indicator_id: str) -> str:
    """The id of an indicator's charts in the county report."""
    return f"ind-{slug(indicator_id)}"
