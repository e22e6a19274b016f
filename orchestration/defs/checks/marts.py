"""Blocking Great Expectations checks on the marts and the gap table: nothing that fails them is
published.

Great Expectations is imported when a check runs, not with the definitions (a night whose loads
bring nothing new never runs these checks, and the import alone takes seconds)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from expectations.suites import tables
from ingest.catalogue import read_geographies, read_indicators
from orchestration.defs.checks.audit import record
from orchestration.defs.checks.metadata import blocking_gx_check, check_metadata, gx_dir
from orchestration.defs.resources import PipelinePaths
from orchestration.gap_method import STATUS_LABELS
from orchestration.gap_method.schema import INDICATOR_TABLE, ROLLUP_TABLES, STATEMENTS_TABLE
from orchestration.runtime.settings import REPO_ROOT

if TYPE_CHECKING:
    import great_expectations as gx

    from expectations.suites.marts import MartContext


def _suites():
    """expectations.suites.marts, imported (with GX) when a check first runs."""
    from expectations.suites import marts

    return marts


def _context() -> "MartContext":
    areas = pd.read_csv(REPO_ROOT / "dbt_project" / "seeds" / "rus_areas.csv", dtype=str)
    return _suites().MartContext(
        indicator_scales={i.indicator_id: i.scale for i in read_indicators()},
        geography_codes=frozenset(g.code for g in read_geographies()),
        area_ids=frozenset(areas["area_id"]),
        statuses=frozenset(STATUS_LABELS),
    )


def validate_table(
    context: dg.AssetCheckExecutionContext,
    paths: PipelinePaths,
    warehouse: DuckDBResource,
    relation: str,
    suite_name: str,
    expectations: "list[gx.expectations.Expectation]",
    prepare: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame,
) -> dg.AssetCheckResult:
    """Validate ``relation`` in the working warehouse and render the result into the Data Docs
    under ``<data_dir>/gx`` (run name: the relation and the Dagster run)."""
    with warehouse.get_connection() as con:
        # relation is one of the fixed names below, never input.
        frame = con.execute(f"select * from {relation}").df()
    from expectations.runner import validate

    docs_dir = gx_dir(paths.data_dir)
    summary = validate(
        prepare(frame),
        suite_name,
        expectations,
        docs_dir=docs_dir,
        run_name=f"{relation}@{context.run.run_id[:8]}",
    )
    record(warehouse, summary, suite_name, relation)
    if not summary.success:
        context.log.error(f"{relation} failed validation:\n{summary.describe_failures()}")
    return dg.AssetCheckResult(passed=summary.success, metadata=check_metadata(summary, docs_dir))


def table_check(
    asset: str,
    relation: str,
    build: "Callable[[MartContext], list[gx.expectations.Expectation]]",
    prepare: "Callable[[pd.DataFrame, MartContext], pd.DataFrame] | None" = None,
) -> dg.AssetChecksDefinition:
    """A blocking check ``<asset>__gx`` running suite ``asset`` on ``relation``."""

    @blocking_gx_check(asset, f"Great Expectations suite on {asset} before publication.")
    def _check(
        context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
    ) -> dg.AssetCheckResult:
        ctx = _context()
        return validate_table(
            context,
            paths,
            warehouse,
            relation,
            asset,
            build(ctx),
            (lambda frame: prepare(frame, ctx)) if prepare else (lambda frame: frame),
        )

    return _check


def _group_ids(link_type: str) -> list[str]:
    seeds = REPO_ROOT / "dbt_project" / "seeds"
    file, column = {
        "area": ("rus_areas.csv", "area_id"),
        "focus_effort": ("rus_focus_efforts.csv", "focus_effort_id"),
        "goal": ("rus_goals.csv", "goal_id"),
    }[link_type]
    return sorted(pd.read_csv(seeds / file, dtype=str)[column])


def _rollup_builder(link_type: str) -> "Callable[[MartContext], list]":
    return lambda ctx: _suites().build_rollup(ctx, _group_ids(link_type))


fct_indicator_value__gx = table_check(
    tables.FCT,
    f"marts.{tables.FCT}",
    lambda ctx: _suites().build_fct(ctx),
    lambda frame, ctx: _suites().prepare_fct(frame, ctx),
)
mart_area_indicators__gx = table_check(
    tables.AREA_MART, f"marts.{tables.AREA_MART}", lambda ctx: _suites().build_area_mart(ctx)
)
gap_indicator_annual__gx = table_check(
    INDICATOR_TABLE, f"gaps.{INDICATOR_TABLE}", lambda ctx: _suites().build_gaps(ctx)
)
rollup_checks = [
    table_check(name, f"gaps.{name}", _rollup_builder(link_type))
    for name, link_type in ROLLUP_TABLES.items()
]
gap_statements__gx = table_check(
    STATEMENTS_TABLE,
    f"gaps.{STATEMENTS_TABLE}",
    lambda ctx: _suites().build_statements(ctx),
)
