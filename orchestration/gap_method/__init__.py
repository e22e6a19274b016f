"""The gap method (DESIGN §5) as pure pandas/numpy functions. No Dagster imports."""

from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig
from orchestration.gap_method.method import STATUS_LABELS, assess_indicators, backward_ratio

__all__ = [
    "METHOD_VERSION",
    "STATUS_LABELS",
    "GapMethodConfig",
    "assess_indicators",
    "backward_ratio",
]
