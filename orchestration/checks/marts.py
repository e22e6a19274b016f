"""Blocking Great Expectations checks on the marts and the gap table: nothing that fails them is
published."""

from collections.abc import Callable

import dagster as dg
import great_expectations as gx
import pandas as pd
from dagster_duckdb import DuckDBResource

from expectations.runner import validate
from expectations.suites import marts
from ingest.catalogue import read_geographies, read_indicators
from orchestration.checks.audit import record
from orchestration.checks.metadata import check_metadata, gx_dir
from orchestration.env import REPO_ROOT
from orchestration.gap_method import STATUS_LABELS
from orchestration.resources import PipelinePaths


def _context() -> marts.MartContext:
    areas = pd.read_csv(REPO_ROOT / "dbt_project" / "seeds" / "rus_areas.csv", dtype=str)
    return marts.MartContext(
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
    expectations: list[gx.expectations.Expectation],
    prepare: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame,
) -> dg.AssetCheckResult:
    """Validate ``relation`` in the working warehouse and render the result into the Data Docs
    under ``<data_dir>/gx`` (run name: the relation and the Dagster run)."""
    with warehouse.get_connection() as con:
        # relation is one of the fixed names below, never input.
        frame = con.execute(f"select * from {relation}").df()
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


@dg.asset_check(
    asset=marts.FCT,
    name=f"{marts.FCT}__gx",
    blocking=True,
    description="Great Expectations suite on fct_indicator_value before publication.",
)
def fct_indicator_value__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    ctx = _context()
    return validate_table(
        context,
        paths,
        warehouse,
        f"marts.{marts.FCT}",
        marts.FCT,
        marts.build_fct(ctx),
        lambda frame: marts.prepare_fct(frame, ctx),
    )


@dg.asset_check(
    asset=marts.AREA_MART,
    name=f"{marts.AREA_MART}__gx",
    blocking=True,
    description="Great Expectations suite on mart_area_indicators before publication.",
)
def mart_area_indicators__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    return validate_table(
        context,
        paths,
        warehouse,
        f"marts.{marts.AREA_MART}",
        marts.AREA_MART,
        marts.build_area_mart(_context()),
    )


@dg.asset_check(
    asset=marts.GAPS,
    name=f"{marts.GAPS}__gx",
    blocking=True,
    description="Great Expectations suite on gap_indicator_annual before publication.",
)
def gap_indicator_annual__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    return validate_table(
        context,
        paths,
        warehouse,
        f"gaps.{marts.GAPS}",
        marts.GAPS,
        marts.build_gaps(_context()),
    )


def _group_ids(link_type: str) -> list[str]:
    seeds = REPO_ROOT / "dbt_project" / "seeds"
    file, column = {
        "area": ("rus_areas.csv", "area_id"),
        "focus_effort": ("rus_focus_efforts.csv", "focus_effort_id"),
        "goal": ("rus_goals.csv", "goal_id"),
    }[link_type]
    return sorted(pd.read_csv(seeds / file, dtype=str)[column])


def _rollup_check(name: str, link_type: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=name,
        name=f"{name}__gx",
        blocking=True,
        description=f"Great Expectations suite on {name} before publication.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
    ) -> dg.AssetCheckResult:
        return validate_table(
            context,
            paths,
            warehouse,
            f"gaps.{name}",
            name,
            marts.build_rollup(_context(), _group_ids(link_type)),
        )

    return _check


rollup_checks = [
    _rollup_check(name, link_type)
    for name, link_type in (
        ("gap_area_annual", "area"),
        ("gap_focus_effort_annual", "focus_effort"),
        ("gap_goal_annual", "goal"),
    )
]


@dg.asset_check(
    asset="gap_statements",
    name="gap_statements__gx",
    blocking=True,
    description="Great Expectations suite on gap_statements before publication.",
)
def gap_statements__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    return validate_table(
        context,
        paths,
        warehouse,
        "gaps.gap_statements",
        "gap_statements",
        marts.build_statements(_context()),
    )
