"""Blocking Great Expectations checks on raw loads: a failed load never reaches dbt."""

from collections.abc import Callable

import dagster as dg
import great_expectations as gx
import pandas as pd
from dagster_duckdb import DuckDBResource

from expectations.runner import validate
from expectations.suites import raw_kolada, raw_scb
from ingest.catalogue import read_geographies, read_indicators
from ingest.landing import RawLanding
from orchestration.checks.audit import record
from orchestration.checks.metadata import check_metadata
from orchestration.resources import PipelinePaths


def _latest_load_id(context: dg.AssetCheckExecutionContext, key: str) -> str:
    event = context.instance.get_latest_materialization_event(dg.AssetKey(key))
    if event is None or event.asset_materialization is None:
        raise dg.Failure(f"{key} has no materialization to validate")
    return str(event.asset_materialization.metadata["load_id"].value)


def validate_latest_load(
    context: dg.AssetCheckExecutionContext,
    paths: PipelinePaths,
    warehouse: DuckDBResource,
    asset_key: str,
    source: str,
    suite_name: str,
    prepare: Callable[[pd.DataFrame], pd.DataFrame],
    expectations: list[gx.expectations.Expectation],
) -> dg.AssetCheckResult:
    """Validate the load the asset just landed; record the verdict beside it (dbt reads it)."""
    landing = RawLanding(paths.raw_dir, source)
    load_id = _latest_load_id(context, asset_key)
    summary = validate(
        prepare(landing.read(load_id, "values").to_pandas()), suite_name, expectations
    )
    landing.record_validation(load_id, summary.as_dict())
    record(warehouse, summary, asset_key, load_id)
    if not summary.success:
        context.log.error(
            f"{source} load {load_id} failed validation:\n{summary.describe_failures()}"
        )
    return dg.AssetCheckResult(
        passed=summary.success, metadata={"load_id": load_id, **check_metadata(summary)}
    )


def _geography_codes() -> frozenset[str]:
    return frozenset(g.code for g in read_geographies())


def _scales(source: str) -> dict[str, str]:
    return {i.source_series_id: i.scale for i in read_indicators() if i.source == source}


@dg.asset_check(
    asset="raw_kolada_values",
    name="raw_kolada_values__gx",
    blocking=True,
    description="Great Expectations suite raw_kolada_values on the newest Kolada load.",
)
def raw_kolada_values__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    ctx = raw_kolada.RawKoladaContext(
        kpi_scales=_scales("kolada"), geography_codes=_geography_codes()
    )
    return validate_latest_load(
        context,
        paths,
        warehouse,
        "raw_kolada_values",
        "kolada",
        raw_kolada.NAME,
        lambda frame: raw_kolada.prepare(frame, ctx),
        raw_kolada.build(ctx),
    )


@dg.asset_check(
    asset="raw_scb_values",
    name="raw_scb_values__gx",
    blocking=True,
    description="Great Expectations suite raw_scb_values on the newest SCB load.",
)
def raw_scb_values__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths, warehouse: DuckDBResource
) -> dg.AssetCheckResult:
    ctx = raw_scb.RawScbContext(series_scales=_scales("scb"), geography_codes=_geography_codes())
    return validate_latest_load(
        context,
        paths,
        warehouse,
        "raw_scb_values",
        "scb",
        raw_scb.NAME,
        lambda frame: raw_scb.prepare(frame, ctx),
        raw_scb.build(ctx),
    )
