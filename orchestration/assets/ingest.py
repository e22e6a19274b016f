"""Ingest assets: fetch from the public APIs (or the replay server) and land raw, append-only."""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from ingest.catalogue import check_catalogue, follow_up_scope, read_geographies
from ingest.kolada.load import run_load
from orchestration.resources import KoladaResource, PipelinePaths


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "raw_kolada_values",
            group_name="ingest",
            kinds={"python", "parquet"},
            description="Kolada values: data/raw/kolada/<load_id>/values.parquet per load.",
        ),
        dg.AssetSpec(
            "raw_kolada_loads",
            group_name="ingest",
            kinds={"python", "json"},
            description="Manifest per Kolada load: request URLs, HTTP stats, rows, sha256.",
        ),
    ],
)
def raw_kolada(
    context: dg.AssetExecutionContext, kolada: KoladaResource, paths: PipelinePaths
) -> Iterator[dg.MaterializeResult]:
    """Kolada values for every catalogue KPI × Riket, all län and the region's kommuner × years.

    Lands one new folder under data/raw/kolada/<load_id>/ (values and manifest). The load is read
    downstream only after its blocking Great Expectations check passed.
    """
    # The whole catalogue is checked before any request: a bad row fails here, naming it.
    indicators = [i for i in check_catalogue() if i.source == "kolada"]
    geographies = follow_up_scope(read_geographies(), paths.region_code)
    # Back to the earliest baseline a target names (2005 for the emissions goal), at least.
    first_year = min([paths.first_year, *(i.baseline_year for i in indicators)])
    years = list(range(first_year, date.today().year + 1))
    summary = run_load(
        [i.source_series_id for i in indicators],
        geographies,
        years,
        paths.raw_dir,
        kolada=kolada.kolada_config(),
        http=kolada.http_config(),
    )
    if summary.removed_incomplete:
        context.log.warning(f"removed interrupted loads: {summary.removed_incomplete}")
    common = {"load_id": summary.load_id, "path": dg.MetadataValue.path(str(summary.path))}
    yield dg.MaterializeResult(
        asset_key="raw_kolada_values",
        metadata={
            **common,
            "rows": summary.rows,
            "synthetic_rows": summary.synthetic_rows,
            "served_by_replay": summary.served_by_replay,
            "kpis": len(indicators),
            "geographies": len(geographies),
        },
    )
    yield dg.MaterializeResult(
        asset_key="raw_kolada_loads",
        metadata={
            **common,
            "requests": summary.http["requests"],
            "retries": summary.http["retries"],
            "bytes": summary.http["bytes"],
            "duration_s": round(summary.duration_s, 2),
            "source_urls": dg.MetadataValue.md("\n".join(f"- {u}" for u in summary.urls[:20])),
        },
    )
