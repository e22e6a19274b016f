"""The values as a dense cube: one row per series (indicator × geography × sex), one column per
calendar year. Every later step is whole-array numpy on this cube instead of a loop per series.

Keys are held as integer codes (indicator, geography, sex), so finding a related series (Riket's,
the women's, the län's) is an array lookup rather than a join.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig

KEYS = ["indicator_id", "geography_code", "sex"]
VALUE_COLUMNS = {"indicator_id", "geography_code", "sex", "year", "value", "is_synthetic"}
INDICATOR_COLUMNS = {
    "indicator_id",
    "direction_sign",
    "target_type",
    "target_value",
    "target_year",
    "baseline_year",
}
# Optional catalogue columns and their value when absent.
OPTIONAL_INDICATOR_COLUMNS = {
    "scale": None,
    "measure": "intensive",
    "natural_min": np.nan,
    "natural_max": np.nan,
    "min_detectable_change": np.nan,
    "sex_gap_target": None,
}
GEOGRAPHY_COLUMNS = {"geography_code", "level", "lan_code"}
TARGET_TYPES = ("absolute", "relative", "national", "peer", "direction", "maintain", "gap")


def require_columns(name: str, frame: pd.DataFrame, columns: set[str]) -> None:
    missing = columns - set(frame.columns)
    if missing:
        raise ValueError(f"assess_indicators: {name} lacks column(s) {sorted(missing)}")


def infer_geographies(codes: pd.Index, cfg: GapMethodConfig) -> pd.DataFrame:
    """Level and län from Kolada-style codes when no geography frame is given: the national code
    is Riket, ``00NN`` a län, any other code a kommun in län ``00`` + its first two digits."""
    codes = pd.Series(np.asarray(codes, dtype=object), dtype=object)
    is_riket = codes == cfg.national_geography_code
    is_lan = codes.str.startswith("00") & ~is_riket
    level = np.select([is_riket, is_lan], ["riket", "lan"], default="kommun")
    lan = np.where(is_lan, codes, np.where(is_riket, None, "00" + codes.str[:2]))
    return pd.DataFrame({"geography_code": codes, "level": level, "lan_code": lan})


@dataclass
class Cube:
    """Dense values with their series attributes and integer key codes."""

    years: np.ndarray  # calendar year of each column
    series: pd.DataFrame  # one row per series: keys + catalogue + geography attributes
    values: np.ndarray  # float, NaN where no value
    synthetic: np.ndarray  # bool
    obs_series: np.ndarray  # series of each input value
    obs_col: np.ndarray  # column of each input value
    indicator_codes: pd.Index  # code → indicator_id
    geography_codes: pd.Index  # code → geography_code
    sex_codes: pd.Index  # code → sex
    series_keys: tuple  # codes (indicator, geography, sex) of each series
    table: np.ndarray  # flat (indicator, geography, sex) code → series, −1 where none
    offset: int = 0  # position of the first series in the full cube (for a subset)

    def subset(self, start: int, stop: int) -> Cube:
        """Series ``start:stop`` (whole indicators, so every comparison stays inside) with
        their observations; lookups outside the subset give −1."""
        lo, hi = np.searchsorted(self.obs_series, [start, stop])
        table = self.table - start
        table[(self.table < start) | (self.table >= stop)] = -1
        return Cube(
            years=self.years,
            series=self.series.iloc[start:stop].reset_index(drop=True),
            values=self.values[start:stop],
            synthetic=self.synthetic[start:stop],
            obs_series=self.obs_series[lo:hi] - start,
            obs_col=self.obs_col[lo:hi],
            indicator_codes=self.indicator_codes,
            geography_codes=self.geography_codes,
            sex_codes=self.sex_codes,
            series_keys=tuple(k[start:stop] for k in self.series_keys),
            table=table,
            offset=self.offset + start,
        )

    def indicator_chunks(self, max_series: int) -> list[tuple[int, int]]:
        """Consecutive ranges of whole indicators with about ``max_series`` series each."""
        ind = self.series_keys[0]
        starts = np.nonzero(np.r_[True, ind[1:] != ind[:-1]])[0] if len(ind) else np.array([])
        bounds = [*starts.tolist(), len(ind)]
        chunks, begin = [], 0
        for edge in bounds[1:]:
            if edge - begin >= max_series or edge == len(ind):
                chunks.append((begin, edge))
                begin = edge
        return chunks

    def code(self, component: str, labels) -> np.ndarray | int:
        """Codes of ``labels`` (a scalar or an array) in one key component (``indicator``,
        ``geography`` or ``sex``); −1 for labels not in the cube."""
        index = {
            "indicator": self.indicator_codes,
            "geography": self.geography_codes,
            "sex": self.sex_codes,
        }[component]
        if np.ndim(labels) == 0:
            return int(index.get_indexer([labels])[0])
        return index.get_indexer(pd.Index(np.asarray(labels, dtype=object)))

    def lookup(self, indicator, geography, sex) -> np.ndarray:
        """Series positions for the given key codes (scalars broadcast); −1 where none."""
        n_geo, n_sex = len(self.geography_codes), len(self.sex_codes)
        i, g, x = np.broadcast_arrays(np.asarray(indicator), np.asarray(geography), np.asarray(sex))
        flat = (i.astype(np.int64) * n_geo + g) * n_sex + x
        ok = (i >= 0) & (g >= 0) & (x >= 0)
        return np.where(ok, self.table[np.where(ok, flat, 0)], -1)

    @staticmethod
    def take(matrix: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of ``matrix``; NaN (False for bool) rows where ``idx`` is −1."""
        out = matrix[np.where(idx >= 0, idx, 0)]
        out[idx < 0] = False if matrix.dtype == bool else np.nan
        return out


def build_cube(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    geographies: pd.DataFrame | None,
    cfg: GapMethodConfig,
) -> Cube:
    """Pivot the long values into the cube; series of indicators missing from the catalogue are
    dropped. Raises on duplicate keys (as sdg-build does for duplicate years)."""
    catalogue = catalogue_frame(indicators)
    obs = observations(values, catalogue)
    baseline_years = catalogue["baseline_year"].fillna(cfg.default_baseline_year).astype(int)
    years = year_axis(obs.year, baseline_years)
    table, series_flat = series_table(obs)
    obs = obs.in_series_order(table, int(years[0]))
    refuse_duplicates(obs, len(years))
    n_geo, n_sex = len(obs.labels[1]), len(obs.labels[2])
    series_keys = (
        series_flat // (n_geo * n_sex),
        (series_flat // n_sex) % n_geo,
        series_flat % n_sex,
    )
    matrix = np.full((len(series_flat), len(years)), np.nan)
    matrix[obs.series, obs.col] = obs.value
    synthetic = np.zeros(matrix.shape, dtype=bool)
    synthetic[obs.series, obs.col] = obs.synthetic
    labels = [pd.Index(np.asarray(labels, dtype=object)) for labels in obs.labels]
    return Cube(
        years=years,
        series=series_attributes(obs, series_keys, catalogue, baseline_years, geographies, cfg),
        values=matrix,
        synthetic=synthetic,
        obs_series=obs.series,
        obs_col=obs.col,
        indicator_codes=labels[0],
        geography_codes=labels[1],
        sex_codes=labels[2],
        series_keys=series_keys,
        table=table,
    )


def catalogue_frame(indicators: pd.DataFrame) -> pd.DataFrame:
    """docs/method.md §1 "Inputs": the catalogue with its optional columns (their defaults where
    absent) and string ids; a ``target_type`` outside the seven of §3 is refused."""
    catalogue = indicators.copy()
    for column, default in OPTIONAL_INDICATOR_COLUMNS.items():
        if column not in catalogue:
            catalogue[column] = default
    unknown = set(catalogue["target_type"].dropna()) - set(TARGET_TYPES)
    if unknown:
        raise ValueError(f"assess_indicators: unknown target_type(s) {sorted(unknown)}")
    catalogue["indicator_id"] = catalogue["indicator_id"].astype(str)
    return catalogue


@dataclass(frozen=True)
class Observations:
    """The kept input values with their key codes (indicator, geography, sex)."""

    labels: tuple  # the sorted labels of each key component (code → label)
    codes: tuple  # the key codes of each value
    value: np.ndarray
    year: np.ndarray
    synthetic: np.ndarray
    series: np.ndarray | None = None  # series of each value (once placed)
    col: np.ndarray | None = None  # year column of each value (once placed)

    @property
    def flat(self) -> np.ndarray:
        """The flat (indicator, geography, sex) code of each value."""
        n_geo, n_sex = len(self.labels[1]), len(self.labels[2])
        return (self.codes[0] * n_geo + self.codes[1]) * n_sex + self.codes[2]

    def in_series_order(self, table: np.ndarray, first_year: int) -> Observations:
        """The values placed in the cube (series and year column), ordered by series, then
        year."""
        series, col = table[self.flat], self.year - first_year
        order = np.lexsort((col, series))
        return Observations(
            labels=self.labels,
            codes=tuple(codes[order] for codes in self.codes),
            value=self.value[order],
            year=self.year[order],
            synthetic=self.synthetic[order],
            series=series[order],
            col=col[order],
        )


def observations(values: pd.DataFrame, catalogue: pd.DataFrame) -> Observations:
    """docs/method.md §1 "Inputs": the values as key codes; values whose indicator is not in
    the catalogue, and NaN values, are dropped."""
    key_codes, key_labels = [], []
    for key in KEYS:
        codes, uniques = pd.factorize(values[key].astype(str), sort=True)
        key_codes.append(codes.astype(np.int64))
        key_labels.append(uniques)
    in_catalogue = pd.Index(key_labels[0]).isin(catalogue["indicator_id"])
    value = values["value"].to_numpy(float, na_value=np.nan)
    keep = ~np.isnan(value) & in_catalogue[key_codes[0]]
    return Observations(
        labels=tuple(key_labels),
        codes=tuple(codes[keep] for codes in key_codes),
        value=value[keep],
        year=values["year"].to_numpy(np.int64, na_value=0)[keep],
        synthetic=values["is_synthetic"].fillna(False).to_numpy(bool)[keep],
    )


def year_axis(year: np.ndarray, baseline_years: pd.Series) -> np.ndarray:
    """One column per calendar year, from the first value or the earliest catalogue baseline
    year (a baseline before the first value still has a column) to the last value."""
    first = int(min(year.min(), baseline_years.min())) if len(year) else 0
    last = int(year.max()) if len(year) else 0
    return np.arange(first, last + 1)


def series_table(obs: Observations) -> tuple[np.ndarray, np.ndarray]:
    """The series: one per (indicator, geography, sex) with a value, in key order. Returns the
    flat key code → series table (−1 where none) and each series' flat key code."""
    n_cells = len(obs.labels[0]) * len(obs.labels[1]) * len(obs.labels[2])
    table = np.full(n_cells, -1, dtype=np.int64)
    series_flat = np.nonzero(np.bincount(obs.flat, minlength=n_cells))[0]
    table[series_flat] = np.arange(len(series_flat))
    return table, series_flat


def refuse_duplicates(obs: Observations, n_years: int) -> None:
    """docs/method.md §1: duplicate (indicator, geography, sex, year) keys are refused, naming
    up to three of them."""
    cell = obs.series * n_years + obs.col
    if not len(cell) or np.bincount(cell).max() <= 1:
        return
    seen = pd.Series(cell).duplicated(keep=False).to_numpy()
    sample = [
        {
            "indicator_id": obs.labels[0][obs.codes[0][i]],
            "geography_code": obs.labels[1][obs.codes[1][i]],
            "sex": obs.labels[2][obs.codes[2][i]],
            "year": int(obs.year[i]),
        }
        for i in np.nonzero(seen)[0][:3]
    ]
    raise ValueError(f"assess_indicators: duplicate values for {sample}")


def series_attributes(
    obs: Observations,
    series_keys: tuple,
    catalogue: pd.DataFrame,
    baseline_years: pd.Series,
    geographies: pd.DataFrame | None,
    cfg: GapMethodConfig,
) -> pd.DataFrame:
    """One row per series: its keys, the catalogue's fields (baseline year defaulted) and the
    geography's level and län (inferred from the codes when no geographies are given)."""
    series = pd.DataFrame(
        {
            name: np.asarray(labels, dtype=object)[codes]
            for name, labels, codes in zip(KEYS, obs.labels, series_keys, strict=True)
        }
    )
    if geographies is None:
        geo = infer_geographies(obs.labels[1], cfg)
    else:
        geo = geographies[sorted(GEOGRAPHY_COLUMNS)].astype(object)
        geo["geography_code"] = geo["geography_code"].astype(str).astype(object)
    geo = geo.drop_duplicates("geography_code").set_index("geography_code")
    fields = ["direction_sign", "target_type", "target_value", "target_year"]
    attributes = (
        catalogue[["indicator_id", *fields, *OPTIONAL_INDICATOR_COLUMNS]]
        .assign(baseline_year=baseline_years)
        .drop_duplicates("indicator_id")
        .set_index("indicator_id")
    )
    by_indicator = attributes.reindex(np.asarray(obs.labels[0], dtype=object))
    by_geography = geo.reindex(np.asarray(obs.labels[1], dtype=object))
    for column in by_indicator.columns:
        series[column] = by_indicator[column].to_numpy()[series_keys[0]]
    for column in ("level", "lan_code"):
        series[column] = by_geography[column].to_numpy(object)[series_keys[1]]
    return series
