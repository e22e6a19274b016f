"""One SCB load: fetch the catalogue's SCB series and land them raw, append-only."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import snapshot
from ingest.config import HttpConfig
from ingest.errors import ResponseFormatError
from ingest.http import HttpClient
from ingest.landing import (
    SCB_VALUES_SCHEMA,
    LoadSummary,
    RawLanding,
    new_load_id,
    rejecting_bad_responses,
    utc_now,
)
from ingest.pxweb.client import PxWebClient
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.series import ScbSeries, parse_series_id
from ingest.pxweb.split import LearnedCells, inherited_cells
from ingest.state import FetchedLoad, land_changes

SOURCE = "scb"
KEY = ["series_id", "region_code", "year", "sex"]


def base_urls(config: PxWebConfig) -> dict[str, str]:
    return {"v1": config.v1_base_url, "v2": config.v2_base_url}


def learned_cells(landing: RawLanding, config: PxWebConfig) -> LearnedCells:
    """The cells per request a load starts with: what the newest landed load of the same base
    URLs recorded (learned from SCB's refusals), else ``config.max_cells``."""
    manifests = ((i, landing.manifest(i)) for i in reversed(landing.loads()))
    start, load_id = inherited_cells(manifests, base_urls(config), config.max_cells)
    return LearnedCells(start, load_id)


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
    series_ids = list(dict.fromkeys(series_ids))  # one series may serve two indicators
    config = config or PxWebConfig()  # SCB's live APIs; entry points hand in PXWEB_*
    parsed = [parse_series_id(s) for s in series_ids]  # a bad id fails before any request
    landing = RawLanding(raw_root, SOURCE)
    removed = landing.clean_incomplete()
    load_id = new_load_id()
    started, t0 = utc_now(), time.monotonic()
    http_client = HttpClient(http)
    client = PxWebClient(config, http_client, learned_cells(landing, config))
    fetched = fetch_series(client, parsed, regions, years, landing, load_id, progress)
    if len(fetched.versions) > 1:
        raise ResponseFormatError(
            config.v1_base_url,
            f"answers named different snapshots within one load: {fetched.versions}",
        )
    if parsed and not fetched.rows:
        raise ResponseFormatError(
            config.v1_base_url, f"SCB returned no values for {len(parsed)} series; expected some"
        )
    load = fetched_load(config, client, fetched, series_ids, regions, years)
    return land_changes(landing, load_id, load, http_client.stats, started, t0, removed)


@dataclass
class SeriesFetch:
    """Every series' values of one load, what each brought, and the replay snapshots named."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    per_series: dict[str, dict[str, Any]] = field(default_factory=dict)
    payload: Any = field(default_factory=hashlib.sha256)  # over the per-series digests
    versions: set[str | None] = field(default_factory=set)


def fetch_series(
    client: PxWebClient,
    parsed: list[ScbSeries],
    regions: list[str],
    years: list[int],
    landing: RawLanding,
    load_id: str,
    progress: Any = None,
) -> SeriesFetch:
    """Fetch each series in turn (an answer that cannot be read is kept under _rejected as load
    ``load_id``'s), noting its row count, requests and payload digest."""
    out = SeriesFetch()
    for series in parsed:
        with rejecting_bad_responses(landing, load_id):
            result = client.fetch_values(series, regions, years)
        out.versions.add(client.http.last_headers.get(snapshot.REPLAY_HEADER))
        out.payload.update(result.sha256.encode())
        out.per_series[series.raw] = {
            "rows": len(result.rows),
            "requests": result.requests,
            "payload_sha256": result.sha256,
        }
        out.rows.extend(result.rows)
        if progress is not None:
            progress.update(1)
    return out


def fetched_load(
    config: PxWebConfig,
    client: PxWebClient,
    fetched: SeriesFetch,
    series_ids: list[str],
    regions: list[str],
    years: list[int],
) -> FetchedLoad:
    """What the fetch brought, ready to land: the values, the scope the (always full) fetch
    speaks for, and the manifest's fields."""
    return FetchedLoad(
        source=SOURCE,
        key=KEY,
        schema=SCB_VALUES_SCHEMA,
        rows=fetched.rows,
        replay_version=next(iter(fetched.versions), None),
        url=config.v1_base_url,
        # PxWeb has no "changed since" query: every series is fetched whole and diffed.
        mode="full",
        replay_snapshot=config.replay_snapshot,
        scope={
            "series_id": frozenset(series_ids),
            "region_code": frozenset(regions),
            "year": frozenset(str(y) for y in years),
        },
        manifest={
            "api": "pxweb",
            "base_url": config.v1_base_url,
            "base_urls": base_urls(config),
            "request": {
                "series_ids": list(series_ids),
                "regions": sorted(regions),
                "years": sorted(years),
                "max_cells": config.max_cells,
            },
            "series": fetched.per_series,
            "request_limits": client.limits.as_manifest(),
            # sha256 over the per-series payload digests (each: sha256 of its bodies, in order).
            "payload_sha256": fetched.payload.hexdigest(),
        },
    )
