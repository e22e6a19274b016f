"""Render a ValidationSummary as Dagster check metadata (shown in the UI), and where the Great
Expectations Data Docs of every check live."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from expectations.summary import ValidationSummary, docs_index

# Under the pipeline's data dir: GX's stored suites and validation results, and the Data Docs
# site rendered from them (data_docs/index.html).
GX_DIR = "gx"
# Every GX check is named ``<asset>__gx`` (what `make run`'s summary counts as one).
GX_CHECK_SUFFIX = "__gx"


def blocking_gx_check(asset: str, description: str):
    """The decorator of every GX check: ``<asset>__gx``, blocking what depends on ``asset``."""
    return dg.asset_check(
        asset=asset, name=f"{asset}{GX_CHECK_SUFFIX}", blocking=True, description=description
    )


def gx_dir(data_dir: str | Path) -> Path:
    """Where the checks keep GX suites, validation results and Data Docs for ``data_dir``."""
    return Path(data_dir) / GX_DIR


def check_metadata(summary: ValidationSummary, docs_dir: Path | None = None) -> dict[str, object]:
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
    metadata: dict[str, object] = {
        "suite": summary.suite,
        "rows_validated": summary.row_count,
        "expectations": len(summary.outcomes),
        "failed_expectations": dg.MetadataValue.json([o.expectation for o in summary.failed]),
        "failures": summary.describe_failures() or "none",
        "results": dg.MetadataValue.md("\n".join(lines)),
    }
    if summary.docs_page:
        metadata["data_docs_page"] = dg.MetadataValue.path(summary.docs_page)
    if docs_dir is not None:
        metadata["data_docs_index"] = dg.MetadataValue.path(str(docs_index(docs_dir)))
    return metadata
