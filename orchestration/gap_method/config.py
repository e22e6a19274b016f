"""Every parameter of the gap method, with its default, in one frozen config."""

from __future__ import annotations

from dataclasses import dataclass

METHOD_VERSION = "0.1.0"


@dataclass(frozen=True)
class GapMethodConfig:
    """Thresholds follow Open SDG / Statistics Canada's progress measure (sdg-build).

    With a target: the backward ratio R = d·a/|r| (actual over required pace).
    Without one: the direction-adjusted compound annual growth rate.
    """

    target_year: int = 2030
    # Backward ratio thresholds (with a target).
    on_track_ratio: float = 0.95
    moderate_ratio: float = 0.6
    # Direction-adjusted CAGR thresholds (no numeric target).
    substantial_cagr: float = 0.015
    moderate_cagr: float = 0.005
    # A target of exactly zero is taken as this (Statistics Canada).
    zero_target: float = 0.001
    # Without a value in the baseline year, the first year up to this one is the baseline.
    latest_fallback_baseline_year: int = 2020
    national_geography_code: str = "0000"

    def __post_init__(self) -> None:
        if not 0 < self.moderate_ratio < self.on_track_ratio:
            raise ValueError("GapMethodConfig needs 0 < moderate_ratio < on_track_ratio")
        if not 0 <= self.moderate_cagr < self.substantial_cagr:
            raise ValueError("GapMethodConfig needs 0 <= moderate_cagr < substantial_cagr")
