"""The output rows of a cube (series × assessment year), their trend windows, and the symbols
of docs/method.md §2 at each row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from orchestration.gap_method import trend as tr
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube

if TYPE_CHECKING:
    from orchestration.gap_method.targets import Assessed, Baseline, SeriesFacts, Targets

NAN = float("nan")


@dataclass(frozen=True)
class Rows:
    """The output rows of a cube (one per series × assessment year) and their windows."""

    series: np.ndarray  # series of each row
    col: np.ndarray  # year column of each row
    baseline_col: np.ndarray  # −1 without a baseline
    before_baseline: np.ndarray  # bool, rows × window: window years before the baseline
    width: int

    def __len__(self) -> int:
        return len(self.series)

    def at(self, matrix: np.ndarray) -> np.ndarray:
        return matrix[self.series, self.col]

    def window(self, matrix: np.ndarray, masked: bool = True, rows=None) -> np.ndarray:
        """The trend window of ``matrix`` for each row (or ``rows``); years before the baseline
        are blanked when ``masked``."""
        rows = slice(None) if rows is None else rows
        w = tr.windows(matrix, self.series[rows], self.col[rows], self.width)
        return np.where(self.before_baseline[rows], NAN, w) if masked else w

    def slope(self, matrix: np.ndarray, cfg: GapMethodConfig, where=None) -> tr.Slope:
        """Robust slope over the masked window, computed only on the rows in ``where``."""
        if where is None:
            return tr.robust_slope(self.window(matrix), cfg)
        rows = np.nonzero(where)[0]
        part = tr.robust_slope(self.window(matrix, rows=rows), cfg)
        n = len(self)
        full = tr.Slope(
            slope=np.full(n, NAN),
            points=np.zeros(n, dtype=np.int64),
            method=np.zeros(n, dtype=np.int64),
            low_confidence=np.zeros(n, dtype=bool),
        )
        for name in ("slope", "points", "method", "low_confidence"):
            getattr(full, name)[rows] = getattr(part, name)
        return full


def output_rows(cube: Cube, b_col: np.ndarray, cfg: GapMethodConfig) -> Rows:
    """Every observed value from its series' baseline year on (all years without a baseline)."""
    r_s, r_c = cube.obs_series, cube.obs_col
    keep = (b_col[r_s] < 0) | (r_c >= b_col[r_s])
    r_s, r_c = r_s[keep], r_c[keep]
    width = cfg.trend_window_years
    rb = b_col[r_s]
    col_of = r_c[:, None] - (width - 1) + np.arange(width)[None, :]
    before = (rb[:, None] >= 0) & (col_of < rb[:, None]) & cfg.trend_window_from_baseline
    return Rows(r_s, r_c, rb, before, width)


@dataclass(frozen=True)
class RowValues:
    """The symbols of docs/method.md §2 at each output row: what every later step reads."""

    rows: Rows
    t: np.ndarray  # assessment year (float)
    b_year: np.ndarray  # baseline year b (float; NaN without a baseline)
    has_b: np.ndarray
    d: np.ndarray  # direction of the assessed series A
    d_value: np.ndarray  # the catalogue's direction (of the value x)
    Y: np.ndarray  # target year
    x_t: np.ndarray  # the value
    a_t: np.ndarray  # the assessed value A_t
    x_b: np.ndarray  # A in the baseline year
    T_t: np.ndarray  # target level (NaN without a target)
    D_t: np.ndarray  # distance to the target d·(A_t − T_t)
    D_b: np.ndarray  # the distance in the baseline year

    @property
    def series(self) -> np.ndarray:
        return self.rows.series


def row_values(
    rows: Rows,
    cube: Cube,
    facts: SeriesFacts,
    assessed: Assessed,
    base: Baseline,
    targets: Targets,
) -> RowValues:
    """docs/method.md §2 "Conventions and notation": t, b, d, Y, x_t, A_t, x_b, T_t and D at each
    output row, from the series' matrices."""
    r_s, years = rows.series, cube.years
    has_b = rows.baseline_col >= 0
    b_year = np.where(has_b, years[np.maximum(rows.baseline_col, 0)], NAN).astype(float)
    return RowValues(
        rows=rows,
        t=years[rows.col].astype(float),
        b_year=b_year,
        has_b=has_b,
        d=assessed.d[r_s],
        d_value=facts.d_value[r_s],
        Y=facts.target_year[r_s],
        x_t=rows.at(cube.values),
        a_t=rows.at(assessed.values),
        x_b=base.value[r_s],
        T_t=rows.at(targets.level),
        D_t=rows.at(targets.distance),
        D_b=targets.distance_b[r_s],
    )
