"""The columns of the gap tables, in order, with a description each: the one place they are
described. The publication turns them into table and column comments (DuckDB and PostgreSQL), dbt
documents them as sources (dbt_project/models/gaps/_gaps__sources.yml, generated), and
docs/data-dictionary.md lists them (generated).

``COLUMN_DESCRIPTIONS`` are what :func:`assess_indicators` returns for ``gap_indicator_annual``;
``ROLLUP_COLUMN_DESCRIPTIONS`` what :func:`roll_up` returns for the three roll-up tables.

d is the direction sign (+1 higher is better, −1 lower is better); "the assessed series" is the
value, or |women − men| for GAP indicators; T is the target level (for NATIONAL/PEER the moving
benchmark B_t). Codes are English keys; every ``*_label`` column is the Swedish label.
"""

from __future__ import annotations

from orchestration.gap_method.labels import STATUS_LABELS

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
    "baseline_year_used": (
        "Baseline year b: the catalogue's, else the first later year ≤ 2020 (none for a "
        "RELATIVE target, which is a change from the catalogue's year)."
    ),
    "baseline_value": "x_b, the assessed series in the baseline year.",
    "target_year": "Y, the year the target refers to.",
    "target_level": "T that year (Riket's value / the peer mean for NATIONAL / PEER).",
    "target_met": "The target is met: d·(x_t − T) ≥ 0.",
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
    "distance_to_target": (
        "Distance to the target in the desired direction, d·(x_t − T), in the indicator's unit: "
        "≥ 0 when met, negative when short of it. The furthest from target is the smallest "
        "(most negative) value: sort ascending."
    ),
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
    "gap_to_national": "d·(x_t − Riket): > 0 better than Riket, < 0 worse (desired direction).",
    "benchmark": "riket, or peers for PEER targets.",
    "benchmark_value": "B_t: Riket's value or the peer län mean that year.",
    "benchmark_baseline_value": "B_b: the benchmark in the baseline year.",
    "benchmark_gap": "d·(x_t − B_t): ≥ 0 ahead of the benchmark, < 0 behind.",
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
    "sex_gap_target_status": (
        "Where the catalogue's sex_gap_target says the gap shall decrease: narrowing, "
        "not_narrowing, widening or insufficient_data (its trend read against that target); "
        "empty for indicators without such a target."
    ),
    "sex_gap_target_status_label": "minskar, som målet säger … otillräckliga data.",
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

# Added by the gap asset from the warehouse (assets/gaps.py, LINEAGE_SQL).
LINEAGE_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "target_version": "Short hash of the catalogue's target fields the row was assessed against.",
    "input_load_id": "The newest raw load among the values the row used.",
    "input_revised_at": "The newest revision among the values the row used (UTC).",
}

_GROUP_TYPES = "area (RUS area A01–A10), focus_effort (kraftsamling K1–K3) or goal (G1–G3)"
ROLLUP_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "group_id": "The area, kraftsamling or goal (dim_rus_area, dim_focus_effort, dim_goal).",
    "group_type": _GROUP_TYPES + ".",
    "geography_code": "Geography (0000 Riket, 00NN län, NNNN kommun).",
    "sex": "T (total), K (kvinnor) or M (män).",
    "assessment_year": "Year assessed.",
    "n_indicators": "Indicators linked to the group (published at the geography's level).",
    "n_with_row": "Linked indicators with a gap row that year.",
    "n_assessable": "Linked indicators with a status other than otillräckliga data.",
    "coverage": "n_assessable / n_indicators.",
    "low_coverage": "Coverage below the method's threshold: read the counts with care.",
    **{f"n_{code}": f"Indicators with status {label}." for code, label in STATUS_LABELS.items()},
    "mean_score": "Mean score −5…+5 of the assessed indicators (higher is better).",
    "worst_indicator_1": "The indicator with the lowest score.",
    "worst_score_1": "Its score.",
    "worst_indicator_2": "The indicator with the second lowest score.",
    "worst_score_2": "Its score.",
    "previous_assessment_year": "The group's previous assessment year at this geography and sex.",
    "mean_score_change": "mean_score − the previous year's mean_score.",
    "coverage_change": "coverage − the previous year's coverage.",
    "n_status_changed": "Indicators whose status differs from the previous year's.",
    "is_synthetic": "Any of the rows rolled up is synthetic.",
    "method_version": "Gap method version (METHOD_VERSION).",
}

# What the statements asset writes (orchestration/gap_method/statements.py, statements_frame).
STATEMENT_COLUMN_DESCRIPTIONS: dict[str, str] = {
    "subject_type": "indicator or focus_effort.",
    "subject_id": "The indicator (dim_indicator) or kraftsamling (dim_focus_effort).",
    "geography_code": "Geography (0000 Riket, 00NN län, NNNN kommun).",
    "assessment_year": "Year assessed.",
    "status": "The indicator's status code (gap_indicator_annual.status); null for a kraftsamling.",
    "statement": "The statement in Swedish, with the figures behind the verdict.",
    "is_synthetic": "The statement rests on a synthetic value.",
}

# The gap tables, each name written once: the gap assets write them, the publication copies them.
INDICATOR_TABLE = "gap_indicator_annual"
ROLLUP_TABLES = {  # table → the link type it rolls up by (seeds/indicator_links.csv)
    "gap_area_annual": "area",
    "gap_focus_effort_annual": "focus_effort",
    "gap_goal_annual": "goal",
}
STATEMENTS_TABLE = "gap_statements"
GAP_TABLE_NAMES = (INDICATOR_TABLE, *ROLLUP_TABLES, STATEMENTS_TABLE)

GAP_TABLE_DESCRIPTIONS: dict[str, str] = {
    INDICATOR_TABLE: (
        "The gap method per indicator × geography × sex × assessment year (docs/method.md): "
        "value, target, backward and forward progress, one long-term status with its score, "
        "the short-term view, comparison with Riket or the peer län, ranks, the women/men gap "
        "and the spread between the län's kommuner. Codes are English; *_label columns Swedish."
    ),
    "gap_area_annual": (
        "Status counts, coverage and mean score of the indicators linked to each RUS area, per "
        "geography × sex × assessment year."
    ),
    "gap_focus_effort_annual": (
        "Status counts, coverage and mean score of the indicators linked to each kraftsamling, "
        "per geography × sex × assessment year."
    ),
    "gap_goal_annual": (
        "Status counts, coverage and mean score of the indicators linked to each övergripande "
        "mål, per geography × sex × assessment year."
    ),
    STATEMENTS_TABLE: (
        "The report's statements as rows: one sentence per indicator × geography × assessment "
        "year (sex T) and one paragraph per kraftsamling × län × assessment year."
    ),
}
