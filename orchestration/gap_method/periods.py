"""The assessment years a roll-up group applies to (docs/method.md §7).

A group's dimension may say from which and up to which assessment year the follow-up takes it
into account: ``applies_from`` and ``applies_to`` (both inclusive; empty = open), as seed
``rus_focus_efforts`` and ``marts.dim_focus_effort`` do for the kraftsamlingar. The roll-up
leaves out every assessment year outside that span, so a kraftsamling the region adds later
(kompetensförsörjning, from 2025) has no row before it. A group the periods do not name, and
every group when no periods are given, applies to every assessment year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PERIOD_COLUMNS = ("applies_from", "applies_to")
# Open ends: earlier and later than any assessment year.
OPEN_FROM = np.iinfo(np.int64).min
OPEN_TO = np.iinfo(np.int64).max


@dataclass(frozen=True)
class GroupPeriods:
    """First and last assessment year (inclusive) per group, in the order of its labels."""

    first: np.ndarray
    last: np.ndarray

    def contains(self, group: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Whether each (group position, assessment year) pair lies within the group's span."""
        return (year >= self.first[group]) & (year <= self.last[group])


def _years(column: pd.Series, open_end: int, name: str) -> np.ndarray:
    """A year column as int64, empty → ``open_end``; a value that is not a whole year is refused."""
    years = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & (years.isna() | (years % 1 != 0))
    if bad.any():
        raise ValueError(f"roll_up: periods.{name} is not a year: {column[bad].iloc[0]!r}")
    out = np.full(len(years), open_end, dtype=np.int64)
    given = years.notna().to_numpy()
    out[given] = years.to_numpy(float)[given].astype(np.int64)
    return out


def group_periods(
    periods: pd.DataFrame | None, id_column: str, group_labels: pd.Index
) -> GroupPeriods:
    """The span of each group in ``group_labels`` from ``periods`` (``id_column``,
    ``applies_from``, ``applies_to``). A group listed twice, or one whose ``applies_from`` is
    after its ``applies_to``, is refused; groups the periods do not list are open."""
    first = np.full(len(group_labels), OPEN_FROM, dtype=np.int64)
    last = np.full(len(group_labels), OPEN_TO, dtype=np.int64)
    if periods is None:
        return GroupPeriods(first, last)
    missing = {id_column, *PERIOD_COLUMNS} - set(periods.columns)
    if missing:
        raise ValueError(f"roll_up: periods lacks column(s) {sorted(missing)}")
    ids = periods[id_column].astype(str)
    if ids.duplicated().any():
        raise ValueError(f"roll_up: periods lists {ids[ids.duplicated()].iloc[0]} twice")
    applies_from = _years(periods["applies_from"], OPEN_FROM, "applies_from")
    applies_to = _years(periods["applies_to"], OPEN_TO, "applies_to")
    inverted = applies_from > applies_to
    if inverted.any():
        raise ValueError(f"roll_up: {ids[inverted].iloc[0]} applies_from is after its applies_to")
    at = group_labels.get_indexer(ids)
    known = at >= 0
    first[at[known]] = applies_from[known]
    last[at[known]] = applies_to[known]
    return GroupPeriods(first, last)


def applying(frame: pd.DataFrame, id_column: str, year: int) -> np.ndarray:
    """Which rows of a group dimension (e.g. ``dim_focus_effort``) apply in assessment ``year``;
    every row when the frame has no ``applies_from``/``applies_to``."""
    if not set(PERIOD_COLUMNS) <= set(frame.columns):
        return np.ones(len(frame), dtype=bool)
    spans = group_periods(frame, id_column, pd.Index(frame[id_column].astype(str)))
    return spans.contains(np.arange(len(frame)), np.full(len(frame), year))
