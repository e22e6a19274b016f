"""One Kolada load: fetch what the catalogue asks for and land it raw, append-only."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingest import snapshot
from ingest.config import HttpConfig, KoladaConfig
from ingest.errors import ResponseFormatError
from ingest.http import HttpClient
from ingest.kolada.client import KoladaClient
from ingest.landing import (
    KOLADA_KPIS_SCHEMA,
    KOLADA_VALUES_SCHEMA,
    LoadSummary,
    RawLanding,
    new_load_id,
    rejecting_bad_responses,
    utc_now,
)
from ingest.state import FetchedLoad, land_changes

CALENDAR_FIELDS = ("title", "publ_period", "publication_date", "prel_publication_date")


def kpi_calendar(client: KoladaClient, kpis: list[str], load_id: str) -> pa.Table:
    """Kolada's KPI metadata for ``kpis`` as this load saw it: title, the latest period
    published and the publication calendar (one request per 25 ids)."""
    rows = [
        {
            "load_id": load_id,
            "kpi_id": str(k["id"]),
            **{f: None if k.get(f) in (None, "") else str(k[f]) for f in CALENDAR_FIELDS},
        }
        for k in client.kpis(kpis)
    ]
    return pa.Table.from_pylist(rows, schema=KOLADA_KPIS_SCHEMA)


SOURCE = "kolada"


KEY = ["kpi_id", "municipality_id", "year", "gender"]
FROM_DATE_MARGIN = timedelta(days=1)


def incremental_from_date(
    landing: RawLanding, kpis: list[str], municipalities: list[str], years: list[int]
) -> str | None:
    """``from_date`` for the next request: the day before the last accepted load started, when
    that load asked for everything asked now (else None: a full fetch, e.g. after a new KPI)."""
    accepted = landing.accepted_loads()
    if not accepted:
        return None
    manifest = landing.manifest(accepted[-1])
    request = manifest.get("request", {})
    covered = (
        set(kpis) <= set(request.get("kpis", []))
        and set(municipalities) <= set(request.get("municipalities", []))
        and set(years) <= set(request.get("years", []))
    )
    if not covered:
        return None
    started = datetime.fromisoformat(manifest["started_at"].replace("Z", "+00:00"))
    return (started - FROM_DATE_MARGIN).date().isoformat()


def run_load(
    kpis: list[str],
    municipalities: list[str],
    years: list[int],
    raw_root: Path,
    kolada: KoladaConfig | None = None,
    http: HttpConfig | None = None,
    incremental: bool = True,
    progress: Any = None,
) -> LoadSummary:
    """Fetch ``kpis × municipalities × years`` and land what changed as one new raw load.

    Incremental by default: Kolada is asked only for values changed since the last accepted load
    (``from_date``) when that load covered the same request, and whatever comes back is compared
    with the accepted state, so only new, changed and deleted values are landed.
    """
    kolada = kolada or KoladaConfig.from_env()
    landing = RawLanding(raw_root, SOURCE)
    removed = landing.clean_incomplete()
    from_date = incremental_from_date(landing, kpis, municipalities, years) if incremental else None
    load_id = new_load_id()
    started, t0 = utc_now(), time.monotonic()
    http_client = HttpClient(http)
    client = KoladaClient(kolada, http_client)
    with rejecting_bad_responses(landing, load_id):
        result = client.fetch_values(
            kpis, municipalities, years, from_date=from_date, progress=progress
        )
        calendar = kpi_calendar(client, kpis, load_id)
    if not from_date and not result.rows:
        raise ResponseFormatError(
            kolada.base_url,
            f"a full fetch returned no values for {len(kpis)} KPI(s); expected some",
        )
    fetched = FetchedLoad(
        source=SOURCE,
        key=KEY,
        schema=KOLADA_VALUES_SCHEMA,
        rows=result.rows,
        replay_version=http_client.last_headers.get(snapshot.REPLAY_HEADER),
        url=kolada.base_url,
        mode="incremental" if from_date else "full",
        from_date=from_date,
        replay_snapshot=kolada.replay_snapshot,
        extra_tables={"kpis": calendar},
        manifest={
            "api": "kolada-v3",
            "base_url": kolada.base_url,
            "request": {
                "kpis": sorted(kpis),
                "municipalities": sorted(municipalities),
                "years": sorted(years),
                "from_date": from_date,
            },
            "pages": result.pages,
            "payload_sha256": result.sha256,
        },
    )
    return land_changes(landing, load_id, fetched, http_client.stats, started, t0, removed)
