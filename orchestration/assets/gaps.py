"""Gap assets: annual distance to target per indicator × geography × sex (DESIGN §5)."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from orchestration.assets.dbt import rus_dbt_models
from orchestration.gap_method import METHOD_VERSION, assess_indicators


@dg.asset(
    key="gap_indicator_annual",
    group_name="gaps",
    kinds={"python", "duckdb"},
    deps=[
        get_asset_key_for_model([rus_dbt_models], "fct_indicator_value"),
        get_asset_key_for_model([rus_dbt_models], "dim_indicator"),
    ],
)
def gap_indicator_annual(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    """Backward ratio and status per indicator × geography × sex × assessment year.

    Written to gaps.gap_indicator_annual in the working warehouse; published only after every
    blocking check upstream passed.
    """
    with warehouse.get_connection() as con:
        values = con.execute(
            "select indicator_id, geography_code, sex, year, value, is_synthetic"
            " from marts.fct_indicator_value"
        ).df()
        indicators = con.execute(
            "select indicator_id, direction_sign, target_type, target_value, target_year,"
            " baseline_year"
            " from marts.dim_indicator"
        ).df()
        gaps = assess_indicators(values, indicators)
        con.execute("create schema if not exists gaps")
        con.register("gaps_frame", gaps)
        con.execute("create or replace table gaps.gap_indicator_annual as select * from gaps_frame")
        con.unregister("gaps_frame")
    counts = gaps["status"].value_counts().to_dict()
    return dg.MaterializeResult(
        metadata={
            "rows": len(gaps),
            "method_version": METHOD_VERSION,
            "status_counts": dg.MetadataValue.json({k: int(v) for k, v in counts.items()}),
            "preview": dg.MetadataValue.md(f"```\n{gaps.head(10).to_string(index=False)}\n```"),
        }
    )
