"""Ingest assets: fetch from the public APIs (or the replay server) and land raw, append-only.

Each source lands one new folder per run under data/raw/<source>/<load_id>/ (values + manifest).
A load is read downstream only after its blocking Great Expectations check passed.
"""

from collections.abc import Iterator
from datetime import date
from typing import Protocol

import dagster as dg

from ingest.catalogue import Indicator, check_catalogue, follow_up_scope, read_geographies
from ingest.kolada.load import run_load as run_kolada_load
from ingest.pxweb.load import run_load as run_scb_load
from ingest.ratios import fetch_baselines
from orchestration.defs.resources import (
    KoladaResource,
    PipelinePaths,
    PxWebResource,
    RunLockResource,
)


class _Summary(Protocol):
    load_id: str
    rows: int
    synthetic_rows: int
    served_by_replay: bool
    duration_s: float
    http: dict
    urls: list[str]
    removed_incomplete: list[str]
    mode: str
    from_date: str | None
    changes: dict[str, int]


def _scope(paths: PipelinePaths, source: str) -> tuple[list[Indicator], list[str], list[int]]:
    """The source's catalogue rows, the geographies and the years to fetch.

    The whole catalogue is checked first: a bad row fails here, naming it, before any request.
    Years reach back to the earliest baseline a target names (2005 for the emissions goal), a
    ratio's included: its inputs are fetched from its baseline (2005 for energy per BRP)."""
    catalogue = check_catalogue()
    indicators = [i for i in catalogue if i.source == source]
    geographies = follow_up_scope(read_geographies(), paths.region_code, paths.scope)
    first_year = min([paths.first_year, *fetch_baselines(catalogue, source)])
    return indicators, geographies, list(range(first_year, date.today().year + 1))


def _results(
    context: dg.AssetExecutionContext, source: str, summary: _Summary, series: int, geos: int
) -> Iterator[dg.MaterializeResult]:
    if summary.removed_incomplete:
        context.log.warning(f"removed interrupted {source} loads: {summary.removed_incomplete}")
    if summary.rows == 0:
        context.log.info(f"{source}: no new or changed values; landed an empty load")
    common = {"load_id": summary.load_id, "path": dg.MetadataValue.path(str(summary.path))}
    yield dg.MaterializeResult(
        asset_key=f"raw_{source}_values",
        metadata={
            **common,
            "rows": summary.rows,
            **summary.changes,
            "mode": summary.mode,
            "from_date": summary.from_date or "",
            "synthetic_rows": summary.synthetic_rows,
            "served_by_replay": summary.served_by_replay,
            "series": series,
            "geographies": geos,
        },
    )
    yield dg.MaterializeResult(
        asset_key=f"raw_{source}_loads",
        metadata={
            **common,
            "requests": summary.http["requests"],
            "retries": summary.http["retries"],
            "bytes": summary.http["bytes"],
            "duration_s": round(summary.duration_s, 2),
            "source_urls": dg.MetadataValue.md("\n".join(f"- {u}" for u in summary.urls[:20])),
        },
    )


def _specs(source: str, label: str) -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            f"raw_{source}_values",
            group_name="ingest",
            kinds={"python", "parquet", "greatexpectations"},  # validated by its GX suite
            description=f"{label} values: `data/raw/{source}/<load_id>/values.parquet` per load.",
        ),
        dg.AssetSpec(
            f"raw_{source}_loads",
            group_name="ingest",
            kinds={"python", "json"},
            description=f"Manifest per {label} load: request URLs, HTTP stats, rows, sha256.",
        ),
    ]


KOLADA_CALENDAR = dg.AssetSpec(
    "raw_kolada_kpis",
    group_name="ingest",
    kinds={"python", "parquet"},
    description="Kolada's KPI metadata per load (the publication calendar): kpis.parquet.",
)


# Subsettable, so that selecting raw_kolada_values and raw_kolada_loads alone works (e.g.
# `dagster asset materialize --select raw_kolada_values,raw_kolada_loads`): one load is fetched
# and landed either way, and only the selected assets are reported materialized.
class KoladaLoadConfig(dg.Config):
    """Run configuration of the Kolada load (launchpad: ``ops.raw_kolada.config``).

    ``full_refresh``: fetch every value, not only those changed since the last load, so values
    the source withdrew are landed as deleted (a full fetch also comes round weekly on its own).
    """

    full_refresh: bool = False


@dg.multi_asset(
    specs=[*_specs("kolada", "Kolada"), KOLADA_CALENDAR],
    can_subset=True,
)
def raw_kolada(
    context: dg.AssetExecutionContext,
    config: KoladaLoadConfig,
    kolada: KoladaResource,
    paths: PipelinePaths,
    run_lock: RunLockResource,
) -> Iterator[dg.MaterializeResult]:
    """Kolada values for every catalogue KPI × Riket, all län and the region's kommuner × years."""
    indicators, geographies, years = _scope(paths, "kolada")
    summary = run_kolada_load(
        [i.source_series_id for i in indicators],
        geographies,
        years,
        paths.raw_dir,
        kolada=kolada.kolada_config(),
        http=kolada.http_config(),
        incremental=not config.full_refresh,
    )
    selected = context.selected_asset_keys
    for result in _results(context, "kolada", summary, len(indicators), len(geographies)):
        if result.asset_key in selected:
            yield result
    if KOLADA_CALENDAR.key in selected:
        yield dg.MaterializeResult(
            asset_key=KOLADA_CALENDAR.key,
            metadata={"load_id": summary.load_id, "kpis": len(indicators)},
        )


@dg.multi_asset(specs=_specs("scb", "SCB PxWeb"))
def raw_scb(
    context: dg.AssetExecutionContext,
    pxweb: PxWebResource,
    paths: PipelinePaths,
    run_lock: RunLockResource,
) -> Iterator[dg.MaterializeResult]:
    """SCB PxWeb series of the catalogue × Riket, all län and the region's kommuner × years."""
    indicators, geographies, years = _scope(paths, "scb")
    summary = run_scb_load(
        [i.source_series_id for i in indicators],
        geographies,
        years,
        paths.raw_dir,
        config=pxweb.pxweb_config(),
        http=pxweb.http_config(),
    )
    yield from _results(context, "scb", summary, len(indicators), len(geographies))
