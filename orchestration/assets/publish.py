"""Publish: the BI-facing copy, written only when everything upstream (and its checks) passed."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.assets.dbt import rus_dbt_models
from orchestration.publishing import PUBLISHED_TABLES, publish_duckdb
from orchestration.resources import PipelinePaths


@dg.asset(
    key="published_marts",
    group_name="publish",
    kinds={"duckdb"},
    deps=[
        *[
            get_asset_key_for_model([rus_dbt_models], t)
            for s, t in PUBLISHED_TABLES
            if s == "marts"
        ],
        dg.AssetKey("gap_indicator_annual"),
    ],
)
def published_marts(
    context: dg.AssetExecutionContext, paths: PipelinePaths
) -> dg.MaterializeResult:
    """data/published/rus.duckdb: marts and gap tables, swapped in by an atomic rename."""
    counts = publish_duckdb(paths.warehouse_path, paths.published_path)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(paths.published_path)),
            **{f"rows.{table}": n for table, n in counts.items()},
        }
    )
