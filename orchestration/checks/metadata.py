"""Render a ValidationSummary as Dagster check metadata (shown in the UI)."""

from __future__ import annotations

import dagster as dg

from expectations.runner import ValidationSummary


def check_metadata(summary: ValidationSummary) -> dict[str, object]:
    lines = [
        "| expectation | column | ok | observed | unexpected | examples |",
        "|---|---|---|---|---|---|",
    ]
    for o in summary.outcomes:
        lines.append(
            f"| {o.expectation} | {o.column or ''} | {'✅' if o.success else '❌'} | {o.observed} "
            f"| {'' if o.unexpected_count is None else o.unexpected_count} "
            f"| {o.unexpected_examples[:5]} |"
        )
    return {
        "suite": summary.suite,
        "rows_validated": summary.row_count,
        "expectations": len(summary.outcomes),
        "failed_expectations": dg.MetadataValue.json([o.expectation for o in summary.failed]),
        "failures": summary.describe_failures() or "none",
        "results": dg.MetadataValue.md("\n".join(lines)),
    }
