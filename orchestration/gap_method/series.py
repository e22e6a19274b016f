"""One status per indicator across its series (docs/method.md §5.7).

An indicator is judged on several series where it has values for women and men: each series
(K, M) has its own status and score on the gap rows. As Open SDG and Statistics Canada aggregate
an indicator's series: the mean of the series' scores, the status from the score bands
(``GapMethodConfig.series_score_bands``), and "uppnått" only when every series met its target.
Where an indicator has no assessable K and M pair, its one series is the total (T) and its
status is T's. Pure pandas; no Dagster imports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS

KEYS = ["indicator_id", "geography_code", "assessment_year"]
SERIES_COLUMNS = [*KEYS, "series", "n_series", "series_score", "series_status", "series_label"]
MET = ("target_met", "target_met_worsening")


def status_from_score(score: float, cfg: GapMethodConfig) -> str:
    """The status of a mean score through the configured bands; NaN → insufficient data."""
    if score is None or np.isnan(score):
        return INSUFFICIENT
    for lower, status in cfg.series_score_bands:
        if score >= lower:
            return status
    return cfg.series_score_floor_status


def _assessable(frame: pd.DataFrame) -> pd.Series:
    return frame["status"].ne(INSUFFICIENT) & frame["score"].notna()


def status_across_series(gaps: pd.DataFrame, cfg: GapMethodConfig | None = None) -> pd.DataFrame:
    """Per indicator × geography × assessment year of ``gaps`` (gap rows of any sexes): the
    series judged (``K;M`` or ``T``), their count, the mean score and its status and label."""
    cfg = cfg or GapMethodConfig()
    missing = {*KEYS, "sex", "status", "score"} - set(gaps.columns)
    if missing:
        raise ValueError(f"gap rows lack {sorted(missing)}; expected gap_indicator_annual rows")
    by_sex = gaps.assign(ok=_assessable(gaps))
    km = by_sex[by_sex["sex"].isin(["K", "M"]) & by_sex["ok"]]
    pairs = km.groupby(KEYS)["sex"].nunique()
    paired = pairs[pairs == 2].index
    key = pd.MultiIndex.from_frame(by_sex[KEYS])
    use_km = key.isin(paired) & by_sex["sex"].isin(["K", "M"]).to_numpy()
    use_t = ~key.isin(paired) & by_sex["sex"].eq("T").to_numpy()
    chosen = by_sex[use_km | use_t]
    out = chosen.groupby(KEYS, sort=True).agg(
        series=("sex", lambda s: ";".join(sorted(s))),
        n_series=("sex", "size"),
        series_score=("score", "mean"),
        all_met=("status", lambda s: bool(s.isin(MET).all())),
        any_worsening=("status", lambda s: bool(s.eq("target_met_worsening").any())),
        any_assessable=("ok", "any"),
    )
    status = [
        INSUFFICIENT
        if not ok
        else ("target_met_worsening" if worse else "target_met")
        if met
        else status_from_score(score, cfg)
        for ok, met, worse, score in zip(
            out["any_assessable"],
            out["all_met"],
            out["any_worsening"],
            out["series_score"],
            strict=True,
        )
    ]
    out["series_status"] = status
    out["series_label"] = [STATUS_LABELS[s] for s in status]
    return out.reset_index()[SERIES_COLUMNS]
