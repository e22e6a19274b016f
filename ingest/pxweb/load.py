"""One SCB load: fetch the catalogue's SCB series and land them raw, append-only."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingest import snapshot
from ingest.config import HttpConfig
from ingest.errors import ResponseFormatError
from ingest.http import HttpClient
from ingest.landing import SCB_VALUES_SCHEMA, LoadSummary, RawLanding, new_load_id, utc_now
from ingest.pxweb.client import PxWebClient
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.series import parse_series_id
from ingest.state import changes, current_state

SOURCE = "scb"
KEY = ["series_id", "region_code", "year", "sex"]


def run_load(
    series_ids: list[str],
    regions: list[str],
    years: list[int],
    raw_root: Path,
    config: PxWebConfig | None = None,
    http: HttpConfig | None = None,
    progress: Any = None,
) -> LoadSummary:
    """Fetch every series for ``regions`` (Kolada style) × ``years`` and land one raw load.

    PxWeb has no "changed since" query, so every series is fetched and compared with the
    accepted state: only new and changed values are landed (an unchanged source lands an empty
    load whose manifest says so).
    """
    config = config or PxWebConfig.from_env()
    parsed = [parse_series_id(s) for s in series_ids]  # a bad id fails before any request
    landing = RawLanding(raw_root, SOURCE)
    removed = landing.clean_incomplete()
    load_id = new_load_id()
    started, t0 = utc_now(), time.monotonic()
    http_client = HttpClient(http)
    client = PxWebClient(config, http_client)
    rows: list[dict[str, Any]] = []
    per_series: dict[str, dict[str, Any]] = {}
    payload = hashlib.sha256()
    versions: set[str | None] = set()
    for series in parsed:
        result = client.fetch_values(series, regions, years)
        versions.add(http_client.last_headers.get(snapshot.REPLAY_HEADER))
        payload.update(result.sha256.encode())
        per_series[series.raw] = {
            "rows": len(result.rows),
            "requests": result.requests,
            "payload_sha256": result.sha256,
        }
        rows.extend(result.rows)
        if progress is not None:
            progress.update(1)
    if len(versions) > 1:
        raise ResponseFormatError(
            config.v1_base_url, f"answers named different snapshots within one load: {versions}"
        )
    if parsed and not rows:
        raise ResponseFormatError(
            config.v1_base_url, f"SCB returned no values for {len(parsed)} series; expected some"
        )
    replay_version = next(iter(versions), None)
    landed, counts = changes(rows, current_state(landing, KEY), KEY)
    values = pa.Table.from_pylist(
        [
            {**r, "load_id": load_id}
            for r in snapshot.with_provenance(
                landed, replay_version, config.v1_base_url, "scb", KEY
            )
        ],
        schema=SCB_VALUES_SCHEMA,
    )
    duration = time.monotonic() - t0
    manifest = {
        "api": "pxweb",
        "mode": "full",
        "changes": counts.as_dict(),
        "base_url": config.v1_base_url,
        "base_urls": {"v1": config.v1_base_url, "v2": config.v2_base_url},
        "served_by_replay": replay_version is not None,
        "replay_snapshot": replay_version,
        "request": {
            "series_ids": list(series_ids),
            "regions": sorted(regions),
            "years": sorted(years),
            "max_cells": config.max_cells,
        },
        "request_urls": http_client.stats.urls,
        "started_at": started,
        "finished_at": utc_now(),
        "duration_s": round(duration, 3),
        "http": http_client.stats.as_dict(),
        "series": per_series,
        "row_count": values.num_rows,
        # sha256 over the per-series payload digests (each: sha256 of its data bodies, in order).
        "payload_sha256": payload.hexdigest(),
    }
    path = landing.land(load_id, {"values": values}, manifest)
    synthetic = sum(1 for v in values.column("is_synthetic").to_pylist() if v)
    return LoadSummary(
        load_id,
        path,
        values.num_rows,
        synthetic,
        duration,
        http_client.stats.as_dict(),
        list(http_client.stats.urls),
        replay_version is not None,
        removed,
        mode="full",
        changes=counts.as_dict(),
    )
