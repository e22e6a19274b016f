"""Gap assets: annual distance to target per indicator, rolled up per area, kraftsamling and goal
(docs/method.md). Every assessment year since the baseline is recomputed on each run (rows keyed by
``assessment_year``), so a year's assessment can always be reproduced from the data it used."""

import dagster as dg
import pandas as pd
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from orchestration.defs.assets.dbt import rus_dbt_models
from orchestration.defs.resources import PipelinePaths, RunLockResource
from orchestration.gap_method import (
    METHOD_VERSION,
    GapMethodConfig,
    assess_indicators,
    peers_of,
    roll_up_links,
)
from orchestration.gap_method.schema import INDICATOR_TABLE, ROLLUP_TABLES, STATEMENTS_TABLE
from orchestration.gap_method.statements import statements_frame
from orchestration.publish.schema import GAP_TABLES, comment_table

# Lineage per gap row: the newest load and revision among the values it used (its series up to
# the assessment year), and a short hash of the catalogue's target fields.
LINEAGE_SQL = """
create or replace table gaps.gap_indicator_annual as
with lineage as (
    select
        indicator_id, geography_code, sex, year,
        max(load_id) over w as input_load_id,
        max(last_revised_at) over w as input_revised_at
    from marts.fct_indicator_value
    window w as (
        partition by indicator_id, geography_code, sex order by year
        rows between unbounded preceding and current row
    )
),
targets as (
    select
        indicator_id,
        -- concat_ws skips NULLs: an indicator without a gap target keeps its earlier version
        left(
            md5(
                concat_ws(
                    '|', target_type, target_value, target_year, baseline_year, sex_gap_target
                )
            ),
            8
        ) as target_version
    from marts.dim_indicator
)
select gaps_frame.*, targets.target_version, lineage.input_load_id, lineage.input_revised_at
from gaps_frame
left join targets using (indicator_id)
left join lineage
    on lineage.indicator_id = gaps_frame.indicator_id
    and lineage.geography_code = gaps_frame.geography_code
    and lineage.sex = gaps_frame.sex
    and lineage.year = gaps_frame.assessment_year
"""


def _replace_table(con, table: str, frame: pd.DataFrame, select_sql: str | None = None) -> None:
    """``gaps.<table>`` := ``frame`` (or ``select_sql`` over it, registered as ``gaps_frame``),
    with its table and column comments (orchestration/publish/schema.py)."""
    con.execute("create schema if not exists gaps")
    con.register("gaps_frame", frame)
    try:
        # table is one of this module's fixed names, never input.
        con.execute(
            select_sql or f"create or replace table gaps.{table} as select * from gaps_frame"
        )
        comment_table(con, f'gaps."{table}"', *GAP_TABLES[table])
    finally:
        con.unregister("gaps_frame")


def _status_counts(frame: pd.DataFrame) -> dg.MetadataValue:
    counts = frame["status"].value_counts().to_dict()
    return dg.MetadataValue.json({k: int(v) for k, v in counts.items()})


@dg.asset(
    key=INDICATOR_TABLE,
    group_name="gaps",
    kinds={"python", "duckdb", "greatexpectations"},
    deps=[
        get_asset_key_for_model([rus_dbt_models], "fct_indicator_value"),
        get_asset_key_for_model([rus_dbt_models], "dim_indicator"),
        get_asset_key_for_model([rus_dbt_models], "dim_geography"),
        get_asset_key_for_model([rus_dbt_models], "rus_region_peers"),
    ],
)
def gap_indicator_annual(
    context: dg.AssetExecutionContext,
    warehouse: DuckDBResource,
    paths: PipelinePaths,
    run_lock: RunLockResource,
) -> dg.MaterializeResult:
    """Per indicator × geography × sex × assessment year: value, baseline, target, actual and
    required pace, backward and forward ratios, short- and long-term status, county vs Riket,
    rank among the 21 län, women/men gap and its trend, spread between the county's kommuner and
    its trend, level score, score −5…+5; "otillräckliga data" where data are too few.

    PEER targets compare with the mean of the region's comparable län (seed rus_region_peers);
    a region without peers there has no PEER benchmark. Written to gaps.gap_indicator_annual in
    the working warehouse; published only after every blocking check upstream passed.
    """
    with warehouse.get_connection() as con:
        pairs = con.execute(
            "select region_code, peer_region_code from seeds.rus_region_peers"
        ).fetchall()
        config = GapMethodConfig(peer_geography_codes=peers_of(paths.region_code, pairs))
        values = con.execute(
            "select indicator_id, geography_code, sex, year, value, is_synthetic"
            " from marts.fct_indicator_value"
        ).df()
        indicators = con.execute("select * from marts.dim_indicator").df()
        geographies = con.execute(
            "select geography_code, level, lan_code from marts.dim_geography"
        ).df()
        gaps = assess_indicators(values, indicators, config, geographies=geographies)
        _replace_table(con, INDICATOR_TABLE, gaps, LINEAGE_SQL)
    region = gaps[(gaps["geography_level"] == "lan") & (gaps["sex"] == "T")]
    latest = region.sort_values("assessment_year").groupby("indicator_id").tail(1)
    preview = latest[["indicator_id", "assessment_year", "status_label", "value", "target_level"]]
    return dg.MaterializeResult(
        metadata={
            "rows": len(gaps),
            "method_version": METHOD_VERSION,
            "peer_lan": ", ".join(config.peer_geography_codes) or "none",
            "status_counts": _status_counts(gaps),
            "assessment_years": f"{gaps['assessment_year'].min()}–{gaps['assessment_year'].max()}",
            "preview": dg.MetadataValue.md(f"```\n{preview.head(15).to_string(index=False)}\n```"),
        }
    )


# The dimension that gives a link type's groups the assessment years they apply to
# (applies_from, applies_to; docs/method.md §7). Other link types apply to every year.
GROUP_PERIODS = {"focus_effort": "dim_focus_effort"}


def _rollup_asset(name: str, link_type: str) -> dg.AssetsDefinition:
    periods_model = GROUP_PERIODS.get(link_type)

    @dg.asset(
        key=name,
        group_name="gaps",
        kinds={"python", "duckdb", "greatexpectations"},
        deps=[
            dg.AssetKey(INDICATOR_TABLE),
            get_asset_key_for_model([rus_dbt_models], "dim_indicator"),
            get_asset_key_for_model([rus_dbt_models], "indicator_links"),
            *([get_asset_key_for_model([rus_dbt_models], periods_model)] if periods_model else []),
        ],
        description=(
            f"Roll-up of gap_indicator_annual per {link_type.replace('_', ' ')} × geography × "
            "sex × assessment year: counts per status, mean score, the two worst indicators, "
            "coverage (flagged below 80 %) and the change since the previous assessment year."
        ),
    )
    def _asset(warehouse: DuckDBResource, run_lock: RunLockResource) -> dg.MaterializeResult:
        with warehouse.get_connection() as con:
            gaps = con.execute(
                "select indicator_id, geography_code, geography_level, sex, assessment_year,"
                " status, score, is_synthetic from gaps.gap_indicator_annual"
            ).df()
            links = con.execute("select * from seeds.indicator_links").df()
            indicators = con.execute(
                "select indicator_id, geography_levels from marts.dim_indicator"
            ).df()
            periods = (
                con.execute(f"select * from marts.{periods_model}").df() if periods_model else None
            )
            frame = roll_up_links(gaps, links, link_type, indicators=indicators, periods=periods)
            _replace_table(con, name, frame)
        return dg.MaterializeResult(
            metadata={
                "rows": len(frame),
                "method_version": METHOD_VERSION,
                "low_coverage_rows": int(frame["low_coverage"].sum()),
            }
        )

    return _asset


gap_rollups = [_rollup_asset(name, link_type) for name, link_type in ROLLUP_TABLES.items()]


@dg.asset(
    key=STATEMENTS_TABLE,
    group_name="gaps",
    kinds={"python", "duckdb", "greatexpectations"},
    deps=[
        dg.AssetKey(INDICATOR_TABLE),
        get_asset_key_for_model([rus_dbt_models], "dim_indicator"),
        get_asset_key_for_model([rus_dbt_models], "dim_focus_effort"),
    ],
)
def gap_statements(warehouse: DuckDBResource, run_lock: RunLockResource) -> dg.MaterializeResult:
    """The Swedish statements, as a table: one line per indicator × geography × assessment year
    ("… ökar för långsamt för målet 2030, och skillnaderna inom länet ökar.") and one summary
    paragraph per kraftsamling × län × assessment year. Weak data are said to be weak."""
    with warehouse.get_connection() as con:
        gaps = con.execute("select * from gaps.gap_indicator_annual where sex = 'T'").df()
        indicators = con.execute("select * from marts.dim_indicator").df()
        focus_efforts = con.execute("select * from marts.dim_focus_effort").df()
        frame = statements_frame(gaps, indicators, focus_efforts)
        _replace_table(con, STATEMENTS_TABLE, frame)
    example = frame[frame["subject_type"] == "focus_effort"].tail(3)["statement"].tolist()
    return dg.MaterializeResult(
        metadata={
            "rows": len(frame),
            "latest kraftsamling summaries": dg.MetadataValue.md("\n\n".join(example)),
        }
    )
