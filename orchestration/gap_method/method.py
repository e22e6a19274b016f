"""Backward-looking progress per indicator × geography × sex × assessment year.

Conventions (DESIGN §5): x_b baseline value in year b, x_t value in assessment year t, T the
target for year Y, d = +1 when higher is better and −1 when lower is better.

* actual pace   a = (x_t/x_b)^(1/(t−b)) − 1
* required pace r = (T/x_b)^(1/(Y−b)) − 1
* ratio         R = d·a/|r|
* linear pace instead of CAGR where a value is ≤ 0 (flagged in ``pace_method``).

Status with a target: met if d·(x_t − T) ≥ 0, else on track R ≥ 0.95, moderate progress
0.6 ≤ R < 0.95, insufficient progress 0 ≤ R < 0.6, moving away R < 0. Without a numeric target
(type ``direction``) the direction-adjusted CAGR decides: ≥ 1.5 % on track, 0.5–1.5 % moderate,
0–0.5 % insufficient, < 0 moving away. Too little data is said, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig

STATUS_LABELS = {
    "target_met": "uppnått",
    "on_track": "i fas",
    "moderate_progress": "måttliga framsteg",
    "insufficient_progress": "otillräckliga framsteg",
    "moving_away": "går åt fel håll",
    "insufficient_data": "otillräckliga data",
}
TARGET_TYPES_WITH_LEVEL = ("absolute", "relative", "national")


@dataclass(frozen=True)
class BackwardResult:
    actual_pace: float
    required_pace: float
    ratio: float
    pace_method: str
    status: str


def _pace(x_from: np.ndarray, x_to: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CAGR where both values are positive, else linear change per year relative to |x_from|."""
    with np.errstate(divide="ignore", invalid="ignore"):
        positive = (x_from > 0) & (x_to > 0)
        cagr = np.power(np.where(positive, x_to / x_from, 1.0), 1.0 / years) - 1.0
        scale = np.where(x_from != 0, np.abs(x_from), 1.0)
        linear = (x_to - x_from) / years / scale
    return np.where(positive, cagr, linear), positive


def backward_ratio(
    x_b: float,
    x_t: float,
    b: int,
    t: int,
    target: float,
    direction: int,
    config: GapMethodConfig | None = None,
    target_year: int | None = None,
) -> BackwardResult:
    """Scalar form of the backward ratio for one series (used in tests and docs)."""
    cfg = config or GapMethodConfig()
    frame = assess_frame(
        pd.DataFrame(
            {
                "x_b": [x_b],
                "x_t": [x_t],
                "b": [b],
                "t": [t],
                "target": [target],
                "d": [direction],
                "Y": [target_year or cfg.target_year],
            }
        ),
        cfg,
    )
    row = frame.iloc[0]
    return BackwardResult(
        float(row["actual_pace"]),
        float(row["required_pace"]),
        float(row["backward_ratio"]),
        str(row["pace_method"]),
        str(row["status"]),
    )


def assess_frame(f: pd.DataFrame, cfg: GapMethodConfig) -> pd.DataFrame:
    """Vectorised core on columns x_b, x_t, b, t, target (NaN = no numeric target), d, and
    optionally Y (the target year; the config's target_year where absent)."""
    x_b = f["x_b"].to_numpy(float)
    x_t = f["x_t"].to_numpy(float)
    d = f["d"].to_numpy(float)
    target = f["target"].to_numpy(float)
    target = np.where(target == 0, cfg.zero_target, target)
    elapsed = (f["t"] - f["b"]).to_numpy(float)
    target_year = f["Y"].to_numpy(float) if "Y" in f else np.full(len(f), float(cfg.target_year))
    horizon = target_year - f["b"].to_numpy(float)
    has_data = ~np.isnan(x_b) & ~np.isnan(x_t) & (elapsed > 0)
    has_target = ~np.isnan(target)

    safe_elapsed = np.where(elapsed > 0, elapsed, 1.0)
    safe_horizon = np.where(horizon > 0, horizon, 1.0)
    actual, a_is_cagr = _pace(x_b, x_t, safe_elapsed)
    required, r_is_cagr = _pace(x_b, np.where(has_target, target, x_b), safe_horizon)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            np.abs(required) > 0,
            d * actual / np.abs(required),
            np.where(d * actual >= 0, np.inf, -np.inf),
        )
    met = has_target & (d * (x_t - target) >= 0)
    adjusted = d * actual

    status = np.select(
        [
            ~has_data,
            met,
            has_target & (ratio >= cfg.on_track_ratio),
            has_target & (ratio >= cfg.moderate_ratio),
            has_target & (ratio >= 0),
            has_target,
            adjusted >= cfg.substantial_cagr,
            adjusted >= cfg.moderate_cagr,
            adjusted >= 0,
        ],
        [
            "insufficient_data",
            "target_met",
            "on_track",
            "moderate_progress",
            "insufficient_progress",
            "moving_away",
            "on_track",
            "moderate_progress",
            "insufficient_progress",
        ],
        default="moving_away",
    )
    out = f.copy()
    out["actual_pace"] = np.where(has_data, actual, np.nan)
    out["required_pace"] = np.where(has_data & has_target, required, np.nan)
    out["backward_ratio"] = np.where(has_data & has_target & np.isfinite(ratio), ratio, np.nan)
    uses_cagr = a_is_cagr & (r_is_cagr | ~has_target)
    out["pace_method"] = np.where(has_data, np.where(uses_cagr, "cagr", "linear"), None)
    out["status"] = status
    return out


def _baselines(
    values: pd.DataFrame, indicators: pd.DataFrame, cfg: GapMethodConfig
) -> pd.DataFrame:
    """Baseline per series: the catalogue's baseline year, else the first year up to 2020."""
    keyed = values.merge(indicators[["indicator_id", "baseline_year"]], on="indicator_id")
    exact = keyed[keyed["year"] == keyed["baseline_year"]]
    fallback = (
        keyed[keyed["year"] <= cfg.latest_fallback_baseline_year]
        .sort_values("year")
        .groupby(["indicator_id", "geography_code", "sex"], as_index=False)
        .first()
    )
    base = pd.concat([exact, fallback]).drop_duplicates(
        ["indicator_id", "geography_code", "sex"], keep="first"
    )
    return base.rename(columns={"year": "b", "value": "x_b"})[
        ["indicator_id", "geography_code", "sex", "b", "x_b"]
    ]


def assess_indicators(
    values: pd.DataFrame, indicators: pd.DataFrame, config: GapMethodConfig | None = None
) -> pd.DataFrame:
    """Gap rows for every indicator × geography × sex × assessment year with a value.

    ``values``: indicator_id, geography_code, sex, year, value, is_synthetic.
    ``indicators``: indicator_id, direction_sign, target_type, target_value, baseline_year.
    """
    cfg = config or GapMethodConfig()
    required_v = {"indicator_id", "geography_code", "sex", "year", "value", "is_synthetic"}
    required_i = {
        "indicator_id",
        "direction_sign",
        "target_type",
        "target_value",
        "target_year",
        "baseline_year",
    }
    for name, frame, cols in (
        ("values", values, required_v),
        ("indicators", indicators, required_i),
    ):
        missing = cols - set(frame.columns)
        if missing:
            raise ValueError(f"assess_indicators: {name} lacks column(s) {sorted(missing)}")
    v = values.dropna(subset=["value"])
    base = _baselines(v, indicators, cfg)
    rows = v.rename(columns={"year": "t", "value": "x_t"}).merge(
        base, on=["indicator_id", "geography_code", "sex"], how="left"
    )
    rows = rows.merge(indicators[list(required_i)], on="indicator_id", how="inner")
    # Assessment years start at the baseline (which itself has no pace yet: insufficient data).
    rows = rows[rows["b"].isna() | (rows["t"] >= rows["b"])]
    national = v[v["geography_code"] == cfg.national_geography_code][
        ["indicator_id", "sex", "year", "value"]
    ]
    national = national.rename(columns={"year": "t", "value": "national_value"})
    rows = rows.merge(national, on=["indicator_id", "sex", "t"], how="left")
    base_synthetic = v[["indicator_id", "geography_code", "sex", "year", "is_synthetic"]].rename(
        columns={"year": "b", "is_synthetic": "baseline_is_synthetic"}
    )
    rows = rows.merge(base_synthetic, on=["indicator_id", "geography_code", "sex", "b"], how="left")

    ttype = rows["target_type"]
    # ABSOLUTE: the value itself; RELATIVE: a change of target_value % from the baseline value
    # (T = x_b·(1 + p)); NATIONAL: Riket's value the same year (a moving benchmark).
    target_value = rows["target_value"].astype(float)
    rows["target"] = np.select(
        [ttype == "absolute", ttype == "relative", ttype == "national"],
        [target_value, rows["x_b"] * (1 + target_value / 100), rows["national_value"]],
        default=np.nan,
    )
    rows["Y"] = rows["target_year"].astype(float)
    rows["d"] = rows["direction_sign"].astype(int)
    rows["b"] = rows["b"].astype("Int64").astype(float)
    # The assessment year must come after the baseline (the first year has no pace yet).
    assessed = assess_frame(rows.assign(b=rows["b"].fillna(rows["t"])), cfg)
    assessed["status_label"] = assessed["status"].map(STATUS_LABELS)
    assessed["is_synthetic"] = assessed["is_synthetic"].astype(bool) | assessed[
        "baseline_is_synthetic"
    ].fillna(False).astype(bool)
    assessed["method_version"] = METHOD_VERSION
    out = assessed.rename(
        columns={
            "t": "assessment_year",
            "x_t": "value",
            "b": "baseline_year_used",
            "x_b": "baseline_value",
            "target": "target_level",
        }
    )
    out["baseline_year_used"] = rows["b"].astype("Int64")
    out["target_type"] = rows["target_type"]
    columns = [
        "indicator_id",
        "geography_code",
        "sex",
        "assessment_year",
        "value",
        "baseline_year_used",
        "baseline_value",
        "target_type",
        "target_level",
        "national_value",
        "actual_pace",
        "required_pace",
        "backward_ratio",
        "pace_method",
        "status",
        "status_label",
        "is_synthetic",
        "method_version",
    ]
    return (
        out[columns]
        .sort_values(["indicator_id", "geography_code", "sex", "assessment_year"])
        .reset_index(drop=True)
    )
