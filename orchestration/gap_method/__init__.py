"""The gap method (docs/method.md) as pure pandas/numpy functions. No Dagster imports.

Entry points: :func:`assess_indicators` (one row per indicator × geography × sex × assessment
year) and :func:`roll_up` (per RUS area, focus effort or goal). :func:`backward_ratio` is the
scalar Open SDG progress measure for one series.
"""

from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig, peers_of
from orchestration.gap_method.labels import (
    BENCHMARK_LABELS,
    PROGRESS_LABELS,
    SHORT_TERM_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
)
from orchestration.gap_method.method import assess_indicators
from orchestration.gap_method.progress import BackwardResult, backward_ratio
from orchestration.gap_method.rollup import ROLLUP_COLUMNS, roll_up, roll_up_links
from orchestration.gap_method.schema import COLUMN_DESCRIPTIONS, OUTPUT_COLUMNS

__all__ = [
    "BENCHMARK_LABELS",
    "COLUMN_DESCRIPTIONS",
    "METHOD_VERSION",
    "OUTPUT_COLUMNS",
    "PROGRESS_LABELS",
    "ROLLUP_COLUMNS",
    "SHORT_TERM_LABELS",
    "STATUS_LABELS",
    "TREND_LABELS",
    "BackwardResult",
    "GapMethodConfig",
    "assess_indicators",
    "backward_ratio",
    "peers_of",
    "roll_up",
    "roll_up_links",
]
