"""Every parameter of the gap method (docs/method.md §4.4), with its default, in one frozen config.

Sources of the defaults:

* Open SDG / Statistics Canada progress measure, ``open-sdg/sdg-build:sdg/ProgressMeasure.py``
  (``get_progress_thresholds``, ``get_score``, the 0.001 zero-target rule, the limit coefficient
  with exponent 4.44).
* Eurostat's SDG progress assessment (actual over required pace), Germany's sustainability
  indicator rules (Destatis: mean of the last five annual changes from the last six data points,
  at least four), SDSN's 0–100 normalisation (2.5th percentile floor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

METHOD_VERSION = "0.4.0"


@dataclass(frozen=True)
class GapMethodConfig:
    """Thresholds, windows and defaults of the gap method. Changing one is a method change:
    bump :data:`METHOD_VERSION` with it."""

    # --- years -------------------------------------------------------------------------------
    target_year: int = 2030
    # Baseline when the catalogue gives none (the year before the strategy).
    default_baseline_year: int = 2017
    # Without a value in the baseline year, the first later year up to this one is the baseline.
    latest_fallback_baseline_year: int = 2020

    # --- backward ratio R = d·a/|r| with a target (sdg-build method 2) -----------------------
    on_track_ratio: float = 0.95
    moderate_ratio: float = 0.6
    deterioration_ratio: float = 0.0
    # A target of exactly zero is taken as this (sdg-build: "Calculating progress with target =
    # 0.001 instead").
    zero_target: float = 0.001

    # --- direction-adjusted CAGR without a target (sdg-build method 1) -----------------------
    substantial_cagr: float = 0.015
    moderate_cagr: float = 0.005
    deterioration_cagr: float = 0.0
    # Natural-limit coefficient C = 1 − u^a (sdg-build ``get_progress_thresholds``).
    limit_exponent: float = 4.44
    # Measure the distance to a natural limit from the opposite natural bound (so shares falling
    # towards 0 % get C < 1 too); False measures from 0 exactly as sdg-build does.
    limit_from_opposite_bound: bool = True

    # --- score −5…+5 (sdg-build ``get_score``), piecewise linear through these points --------
    # With a target: R → score. 7.1429·R − 4.2857 above 0.6 and 4.1667·R − 2.5 below.
    ratio_score_points: tuple[tuple[float, float], ...] = (
        (-0.6, -5.0),
        (0.0, -2.5),
        (0.6, 0.0),
        (0.95, 2.5),
        (1.3, 5.0),
    )
    # Without a target: direction-adjusted CAGR → score; the positive breakpoints are multiplied
    # by C (125·p − 2.5 below 0; 500·p/C − 2.5, 250·p/C − 1.25, 500·p/C − 5 above).
    cagr_score_points: tuple[tuple[float, float], ...] = (
        (-0.02, -5.0),
        (0.0, -2.5),
        (0.005, 0.0),
        (0.015, 2.5),
        (0.02, 5.0),
    )
    target_met_score: float = 5.0
    # One status for an indicator judged on several series (women and men): the mean of the
    # series' scores through these lower bounds (highest first), as Open SDG / Statistics
    # Canada aggregate; "target_met" only when every series met its target (series.py).
    series_score_bands: tuple[tuple[float, str], ...] = (
        (2.5, "on_track"),
        (0.0, "nearly_on_track"),
        (-2.5, "too_slow"),
    )
    series_score_floor_status: str = "wrong_direction"

    # --- trend: robust slope, forward ratio Q = distance slope / closing needed a year ---------
    # (Q and the slopes are published beside the status; the status reads the backward ratio.)
    trend_window_years: int = 6
    theil_sen_min_points: int = 4
    end_point_min_points: int = 2
    # The trend window never reaches before the baseline year: progress is progress since the
    # strategy began.
    trend_window_from_baseline: bool = True

    # --- noise band τ = max(share × window mean |x|, minimum detectable change) --------------
    noise_share: float = 0.005
    default_min_detectable_change: float = 0.0

    # --- short-term signals (Destatis): mean of the last five annual changes, last change -----
    short_term_min_points: int = 4

    # --- benchmarks ----------------------------------------------------------------------------
    national_geography_code: str = "0000"
    # Comparable län of the region under follow-up for PEER targets. Configuration, not code:
    # the gap asset hands in the region's rows of the rus_region_peers seed (:func:`peers_of`).
    # Empty: no PEER benchmark (PEER indicators are "otillräckliga data").
    peer_geography_codes: tuple[str, ...] = ()
    peer_min_count: int = 3

    # --- inequality ----------------------------------------------------------------------------
    parity_low: float = 0.97
    parity_high: float = 1.03

    # --- level score 0–100 (SDSN/OECD) ---------------------------------------------------------
    level_floor_quantile: float = 0.025
    level_top_quantile: float = 0.9

    # --- roll-ups ------------------------------------------------------------------------------
    coverage_flag_below: float = 0.8
    worst_indicator_count: int = 2

    def __post_init__(self) -> None:
        if not self.deterioration_ratio < self.moderate_ratio < self.on_track_ratio:
            raise ValueError(
                "GapMethodConfig needs deterioration_ratio < moderate_ratio < on_track_ratio"
            )
        if not self.deterioration_cagr <= self.moderate_cagr < self.substantial_cagr:
            raise ValueError(
                "GapMethodConfig needs deterioration_cagr <= moderate_cagr < substantial_cagr"
            )
        if not 2 <= self.end_point_min_points <= self.theil_sen_min_points:
            raise ValueError(
                "GapMethodConfig needs 2 <= end_point_min_points <= theil_sen_min_points"
            )
        if self.theil_sen_min_points > self.trend_window_years:
            raise ValueError("GapMethodConfig needs theil_sen_min_points <= trend_window_years")
        if not 0 < self.parity_low <= 1 <= self.parity_high:
            raise ValueError("GapMethodConfig needs 0 < parity_low <= 1 <= parity_high")
        if not 0 <= self.level_floor_quantile < self.level_top_quantile <= 1:
            raise ValueError(
                "GapMethodConfig needs 0 <= level_floor_quantile < level_top_quantile <= 1"
            )
        for name in ("ratio_score_points", "cagr_score_points"):
            xs = [x for x, _ in getattr(self, name)]
            if xs != sorted(xs) or len(set(xs)) != len(xs):
                raise ValueError(f"GapMethodConfig.{name} must have increasing x values")
        self._check_one_verdict()

    def _check_one_verdict(self) -> None:
        """The status thresholds and the score bands must say the same: the score at each
        threshold is the lower bound of that status's band (so a score and its status never
        point opposite ways)."""
        bands = [lower for lower, _ in self.series_score_bands]
        for name, thresholds, points in (
            (
                "ratio_score_points",
                (self.on_track_ratio, self.moderate_ratio, self.deterioration_ratio),
                self.ratio_score_points,
            ),
            (
                "cagr_score_points",
                (self.substantial_cagr, self.moderate_cagr, self.deterioration_cagr),
                self.cagr_score_points,
            ),
        ):
            xs, ys = zip(*points, strict=True)
            at = [float(np.interp(x, xs, ys)) for x in thresholds]
            if not np.allclose(at, bands, atol=1e-9):
                raise ValueError(
                    f"GapMethodConfig.{name} gives scores {at} at the status thresholds; "
                    f"expected the series_score_bands {bands}"
                )


def peers_of(region_code: str, pairs: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The comparable län of ``region_code`` from ``(region_code, peer_region_code)`` pairs
    (the rows of the rus_region_peers seed), sorted; empty when the region has none."""
    return tuple(sorted({peer for region, peer in pairs if region == region_code}))
