"""Blocking Great Expectations checks on raw loads: a failed load never reaches dbt.

A load that landed no values (a night with nothing new) has only its fetched row count to judge,
which :func:`expectations.volume.validate_volume_only` does without starting Great Expectations;
every other load goes through its GX suite, imported when the check runs.
"""

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import dagster as dg
import pandas as pd
from dagster_duckdb import DuckDBResource

from expectations.suites import tables
from expectations.volume import FetchBand, FetchVolume, validate_volume_only
from ingest.catalogue import read_geographies, read_indicators
from ingest.landing import RawLanding
from ingest.state import FetchRecord, previous_full_fetch
from orchestration.defs.checks.audit import record
from orchestration.defs.checks.metadata import blocking_gx_check, check_metadata, gx_dir
from orchestration.defs.resources import PipelinePaths

if TYPE_CHECKING:
    import great_expectations as gx


class RawCheckConfig(dg.Config):
    """The band a full fetch's row count must fall in: ``fetch_band_low``–``fetch_band_high``
    times the previous accepted full fetch of the same request. To accept a source that really
    shrank or grew, run the check once with a wider band; later fetches compare with that load."""

    fetch_band_low: float = FetchBand.low
    fetch_band_high: float = FetchBand.high

    def band(self) -> FetchBand:
        return FetchBand(self.fetch_band_low, self.fetch_band_high)


def _latest_load_id(context: dg.AssetCheckExecutionContext, key: str) -> str:
    event = context.instance.get_latest_materialization_event(dg.AssetKey(key))
    if event is None or event.asset_materialization is None:
        raise dg.Failure(f"{key} has no materialization to validate")
    return str(event.asset_materialization.metadata["load_id"].value)


def fetch_volume(landing: RawLanding, load_id: str) -> FetchVolume:
    """What load ``load_id`` fetched, and the earlier full fetch its row count is compared with
    (only for a full fetch: an incremental one returns just what changed)."""
    current = FetchRecord.from_manifest(landing.manifest(load_id))
    previous = previous_full_fetch(landing, load_id) if current.mode == "full" else None
    return FetchVolume(
        mode=current.mode,
        fetched_rows=current.fetched_rows,
        from_date=current.from_date,
        previous_load_id=previous.load_id if previous else None,
        previous_rows=previous.fetched_rows if previous else None,
        previous_narrower=previous is not None and previous.scope != current.scope,
    )


Suite = tuple[
    Callable[[pd.DataFrame], pd.DataFrame],
    "Callable[[FetchVolume], list[gx.expectations.Expectation]]",
]


def validate_latest_load(
    context: dg.AssetCheckExecutionContext,
    paths: PipelinePaths,
    warehouse: DuckDBResource,
    asset_key: str,
    source: str,
    band: FetchBand,
    suite: Callable[[], Suite],
) -> dg.AssetCheckResult:
    """Validate the load the asset just landed; record the verdict beside it (dbt reads it).

    ``suite()`` imports the source's GX suite and gives what prepares the frame and what makes
    the expectations given the load's fetch volume (from its manifest); it is called only for a
    load with values. Suite name = ``asset_key``.
    The result is rendered into the Data Docs under ``<data_dir>/gx``, run name = load id.
    """
    landing = RawLanding(paths.raw_dir, source)
    load_id = _latest_load_id(context, asset_key)
    docs_dir = gx_dir(paths.data_dir)
    values = landing.read(load_id, "values")
    volume = fetch_volume(landing, load_id)
    if values.num_rows == 0:
        summary = validate_volume_only(asset_key, volume, band, run_name=load_id)
        context.log.info(f"{source} load {load_id} landed no values: judged its fetched row count")
    else:
        from expectations.runner import validate

        prepare, build = suite()
        summary = validate(
            prepare(values.to_pandas()),
            asset_key,
            build(volume),
            docs_dir=docs_dir,
            run_name=load_id,
        )
    landing.record_validation(load_id, summary.as_dict())
    record(warehouse, summary, asset_key, load_id)
    if not summary.success:
        context.log.error(
            f"{source} load {load_id} failed validation:\n{summary.describe_failures()}"
        )
    return dg.AssetCheckResult(
        passed=summary.success,
        metadata={"load_id": load_id, **check_metadata(summary, docs_dir)},
    )


def _geography_codes() -> frozenset[str]:
    return frozenset(g.code for g in read_geographies())


def _scales(source: str) -> dict[str, str]:
    return {i.source_series_id: i.scale for i in read_indicators() if i.source == source}


def _suite(source: str, band: FetchBand) -> Suite:
    """The one raw suite, made for ``source`` (its column mapping, the catalogue's scales of its
    series, the geography codes); imported here, so GX loads only when a check runs."""
    from expectations.suites.raw import SUITES, RawContext

    suite = SUITES[source]
    ctx = RawContext(
        series_scales=_scales(source), geography_codes=_geography_codes(), fetch_band=band
    )
    return (
        lambda frame: suite.prepare(frame, ctx),
        lambda fetch: suite.build(replace(ctx, fetch=fetch)),
    )


def raw_check(asset: str, source: str) -> dg.AssetChecksDefinition:
    """The blocking GX check ``<asset>__gx`` on the newest load of ``source``."""

    @blocking_gx_check(
        asset, f"Great Expectations suite {asset} on the newest {SOURCE_NAMES[source]} load."
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        config: RawCheckConfig,
        paths: PipelinePaths,
        warehouse: DuckDBResource,
    ) -> dg.AssetCheckResult:
        band = config.band()
        return validate_latest_load(
            context, paths, warehouse, asset, source, band, lambda: _suite(source, band)
        )

    return _check


SOURCE_NAMES = {"kolada": "Kolada", "scb": "SCB"}
raw_kolada_values__gx = raw_check(tables.RAW_KOLADA, "kolada")
raw_scb_values__gx = raw_check(tables.RAW_SCB, "scb")
