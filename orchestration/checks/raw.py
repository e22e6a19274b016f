"""Blocking Great Expectations checks on raw loads: a failed load never reaches dbt."""

import dagster as dg
import pyarrow.parquet as pq

from expectations.runner import validate
from expectations.suites import raw_kolada
from ingest.catalogue import read_geographies, read_indicators
from ingest.landing import RawLanding
from orchestration.checks.metadata import check_metadata
from orchestration.resources import PipelinePaths


def _latest_load_id(context: dg.AssetCheckExecutionContext, key: str) -> str:
    event = context.instance.get_latest_materialization_event(dg.AssetKey(key))
    if event is None or event.asset_materialization is None:
        raise dg.Failure(f"{key} has no materialization to validate")
    return str(event.asset_materialization.metadata["load_id"].value)


@dg.asset_check(
    asset="raw_kolada_values",
    name="raw_kolada_values__gx",
    blocking=True,
    description="Great Expectations suite raw_kolada_values on the newest load.",
)
def raw_kolada_values__gx(
    context: dg.AssetCheckExecutionContext, paths: PipelinePaths
) -> dg.AssetCheckResult:
    landing = RawLanding(paths.raw_dir, "kolada")
    load_id = _latest_load_id(context, "raw_kolada_values")
    frame = pq.read_table(landing.dir / load_id / "values.parquet").to_pandas()
    ctx = raw_kolada.RawKoladaContext(
        kpi_scales={i.source_series_id: i.scale for i in read_indicators() if i.source == "kolada"},
        geography_codes=frozenset(g.code for g in read_geographies()),
    )
    summary = validate(raw_kolada.prepare(frame, ctx), raw_kolada.NAME, raw_kolada.build(ctx))
    landing.record_validation(load_id, summary.as_dict())
    if not summary.success:
        context.log.error(f"load {load_id} failed validation:\n{summary.describe_failures()}")
    return dg.AssetCheckResult(
        passed=summary.success, metadata={"load_id": load_id, **check_metadata(summary)}
    )
