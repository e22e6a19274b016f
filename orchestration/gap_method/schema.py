"""The columns of ``gap_indicator_annual`` (what :func:`assess_indicators` returns), in order,
with a one-line description each (usable for the dbt/BI documentation of the gap table).

d is the direction sign (+1 higher is better, −1 lower is better); "the assessed series" is the
value, or |women − men| for GAP indicators; T is the target level (for NATIONAL/PEER the moving
benchmark B_t). Codes are English keys; every ``*_label`` column is the Swedish label.
"""

from __future__ import annotations

COLUMN_DESCRIPTIONS: dict[str, str] = {
    # keys
    "indicator_id": "Catalogue indicator.",
    "geography_code": "Geography (0000 Riket, 00NN län, NNNN kommun).",
    "geography_level": "riket, lan or kommun.",
    "lan_code": "The län of a kommun (the län itself for a län; empty for Riket).",
    "sex": "T (total), K (kvinnor) or M (män).",
    "assessment_year": "Year assessed; only values up to this year are used.",
    # value and target
    "value": "The indicator's value that year.",
    "assessed_series": "What the status is about: value, or gap_women_men for GAP targets.",
    "assessed_value": "The assessed series that year.",
    "target_type": "absolute, relative, national, peer, direction, maintain or gap.",
    "direction_sign": "d: +1 when higher is better, −1 when lower is better.",
    "baseline_year_used": "Baseline year b: the catalogue's, else the first later year ≤ 2020.",
    "baseline_value": "x_b, the assessed series in the baseline year.",
    "target_year": "Y, the year the target refers to.",
    "target_level": "T that year (Riket's value / the peer mean for NATIONAL / PEER).",
    "target_met": "d·(x_t − T) ≥ 0.",
    # backward progress (Open SDG / Statistics Canada)
    "pace_method": "cagr, linear (zero or sign-changing values) or none.",
    "actual_pace": "a = (x_t/x_b)^(1/(t−b)) − 1 (or the linear change per year relative to |x_b|).",
    "required_pace": "r = (T/x_b)^(1/(Y−b)) − 1.",
    "backward_ratio": "R = d·a/|r|.",
    "limit_coefficient": "C ∈ [0, 1] near a natural limit (no-target indicators).",
    "progress_value": "R with a target, else the direction-adjusted pace d·a.",
    "progress_status": "Open SDG status: target_achieved … deterioration, not_available.",
    "progress_label": "Swedish label of progress_status.",
    "score": "Open SDG score −5…+5 (target met +5); for roll-ups.",
    # forward ratio
    "window_points": "Values in the trend window (last 6 years, not before the baseline).",
    "slope": "Robust slope s of the assessed series per year.",
    "slope_method": "theil_sen (≥ 4 values), end_point (2–3 values) or none.",
    "low_confidence": "The status rests on fewer than 4 values in the trend window since b.",
    "noise_band": "τ = max(0.5 % of the window mean, minimum detectable change) per year.",
    "distance_to_target": "d·(x_t − T); ≥ 0 when met.",
    "distance_slope": "Robust slope of the distance (= d·s for a fixed target).",
    "required_slope": "d·(T − x_t)/(Y − t): closing needed per year.",
    "forward_ratio": "Q = distance_slope / required_slope.",
    # statuses
    "status": "Long-term status code shown to users.",
    "status_label": "uppnått … otillräckliga data.",
    "mean_change_5y": "Mean annual change over the last 5 years (Destatis; ≥ 4 values).",
    "last_change": "Change per year since the previous value.",
    "short_term_status": "Germany's two signals with τ as dead band.",
    "short_term_label": "Swedish label of short_term_status.",
    # benchmarks and ranks
    "national_value": "Riket's official value that year.",
    "gap_to_national": "d·(x_t − Riket).",
    "benchmark": "riket, or peers for PEER targets.",
    "benchmark_value": "B_t: Riket's value or the peer län mean that year.",
    "benchmark_baseline_value": "B_b: the benchmark in the baseline year.",
    "benchmark_gap": "d·(x_t − B_t); ≥ 0 ahead.",
    "benchmark_gap_slope": "Robust slope of the benchmark gap over the trend window.",
    "benchmark_gap_change": "Change of the benchmark gap per year since the baseline.",
    "benchmark_status": "ahead/behind and whether the gap grows, holds or shrinks.",
    "benchmark_label": "e.g. före, försprånget krymper.",
    "rank_among_lan": "Rank among the län with a value, 1 = best in the desired direction.",
    "lan_ranked": "Number of län ranked.",
    "rank_in_lan": "Rank of a kommun among its län's kommuner, 1 = best.",
    "kommuner_ranked": "Number of kommuner ranked in the län.",
    # women/men
    "value_women": "Value for K.",
    "value_men": "Value for M.",
    "sex_difference": "K − M.",
    "sex_ratio": "r = K/M.",
    "sex_parity": "max(r, 1/r).",
    "sex_parity_equal": "r within 0.97–1.03.",
    "sex_gap_slope": "Robust slope of |K − M| per year.",
    "sex_gap_trend": "widening, stable or narrowing (τ dead band).",
    "sex_gap_trend_label": "ökar, oförändrad, minskar.",
    # spread between the län's kommuner (län rows)
    "kommun_count": "Kommuner of the län with a value.",
    "kommun_min": "Lowest kommun value.",
    "kommun_max": "Highest kommun value.",
    "kommun_range": "Highest − lowest.",
    "kommun_best_worst_ratio": "Highest/lowest (≥ 1): how many times the one level is the other.",
    "kommun_cv": "Coefficient of variation: population standard deviation / |mean|.",
    "kommun_share_meeting_target": "Share of the län's kommuner meeting their own target.",
    "kommun_cv_slope": "Robust slope of the coefficient of variation.",
    "kommun_spread_trend": "widening, stable or narrowing.",
    "kommun_spread_trend_label": "ökar, oförändrad, minskar.",
    # level score
    "level_floor": "x_low: 2.5th percentile of the kommuner (desired direction), baseline year.",
    "level_ceiling": "T*: the target, else the top-decile kommun value in the baseline year.",
    "level_score": "100·clip((d·x_t − d·x_low)/(d·T* − d·x_low), 0, 1).",
    # lineage
    "is_synthetic": "Any of the row's own inputs (window, baseline, benchmark, K/M) is synthetic.",
    "context_is_synthetic": "Any rank, spread or level-score input is synthetic.",
    "method_version": "Gap method version (METHOD_VERSION).",
}
OUTPUT_COLUMNS = list(COLUMN_DESCRIPTIONS)
