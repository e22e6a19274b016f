"""One Kolada load: fetch what the catalogue asks for and land it raw, append-only."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingest import snapshot
from ingest.config import HttpConfig, KoladaConfig
from ingest.errors import ResponseFormatError
from ingest.http import HttpClient
from ingest.kolada.client import FetchResult, KoladaClient, config_sizes
from ingest.kolada.split import LearnedSizes, inherited_sizes
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


# A full fetch at least this often, even when from_date would do: it reconciles values the
# source withdrew without flagging them (a full fetch lands those as withdrawn, ingest/state.py).
FULL_FETCH_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class IncrementalBasis:
    """What an incremental fetch builds on: its ``from_date`` and the replay snapshot (if any)
    the last accepted load was served from."""

    from_date: str
    replay_snapshot: str | None


def learned_limits(landing: RawLanding, kolada: KoladaConfig) -> LearnedSizes:
    """The ids per request a load starts with: what the newest landed load of the same base URL
    recorded (Kolada's undocumented limit, learned from its refusals), else the configured."""
    manifests = ((i, landing.manifest(i)) for i in reversed(landing.loads()))
    sizes, load_id = inherited_sizes(manifests, kolada.base_url, config_sizes(kolada))
    return LearnedSizes(sizes, load_id)


def _covers(manifest: dict[str, Any], kpis, municipalities, years) -> bool:
    request = manifest.get("request", {})
    return (
        set(kpis) <= set(request.get("kpis", []))
        and set(municipalities) <= set(request.get("municipalities", []))
        and set(years) <= set(request.get("years", []))
    )


def _started(manifest: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(manifest["started_at"].replace("Z", "+00:00"))


def incremental_basis(
    landing: RawLanding,
    kpis: list[str],
    municipalities: list[str],
    years: list[int],
    now: datetime | None = None,
) -> IncrementalBasis | None:
    """The basis of an incremental fetch, or None for a full one: ``from_date`` is the day before
    the last accepted load started, when that load asked for everything asked now (not so after
    a new KPI) and an accepted full fetch of the request is less than FULL_FETCH_EVERY old."""
    accepted = [landing.manifest(a) for a in landing.accepted_loads()]
    if not accepted or not _covers(accepted[-1], kpis, municipalities, years):
        return None
    fulls = [
        _started(m)
        for m in accepted
        if m.get("mode", "full") == "full" and _covers(m, kpis, municipalities, years)
    ]
    if not fulls or (now or datetime.now(UTC)) - max(fulls) >= FULL_FETCH_EVERY:
        return None
    return IncrementalBasis(
        from_date=(_started(accepted[-1]) - FROM_DATE_MARGIN).date().isoformat(),
        replay_snapshot=accepted[-1].get("replay_snapshot"),
    )


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
    kolada = kolada or KoladaConfig()  # the live API; entry points hand in KOLADA_BASE_URL
    kpis = list(dict.fromkeys(kpis))  # one series may serve two indicators (a level and its gap)
    landing = RawLanding(raw_root, SOURCE)
    removed = landing.clean_incomplete()
    basis = incremental_basis(landing, kpis, municipalities, years) if incremental else None
    load_id = new_load_id()
    started, t0 = utc_now(), time.monotonic()
    http_client = HttpClient(http)
    client = KoladaClient(kolada, http_client, learned_limits(landing, kolada))
    request = (kpis, municipalities, years)
    with rejecting_bad_responses(landing, load_id):
        result, from_date = fetch_changed(client, basis, request, progress)
        calendar = kpi_calendar(client, kpis, load_id)
    if not from_date and not result.rows:
        raise ResponseFormatError(
            kolada.base_url,
            f"a full fetch returned no values for {len(kpis)} KPI(s); expected some",
        )
    fetched = fetched_load(kolada, client, result, from_date, calendar, request)
    return land_changes(landing, load_id, fetched, http_client.stats, started, t0, removed)


def fetch_changed(
    client: KoladaClient,
    basis: IncrementalBasis | None,
    request: tuple[list[str], list[str], list[int]],
    progress: Any = None,
) -> tuple[FetchResult, str | None]:
    """The values changed since ``basis.from_date`` (every value without a basis), and the
    ``from_date`` the answer is for (None: a full fetch). A replay server now serving another
    snapshot than the basis was served from is asked for everything."""
    from_date = basis.from_date if basis else None
    result = client.fetch_values(*request, from_date=from_date, progress=progress)
    served = client.http.last_headers.get(snapshot.REPLAY_HEADER)
    if basis and served != basis.replay_snapshot:
        # A replay server now serving another snapshot (the project's was rebuilt): its
        # "changed since" knows nothing of the old one, so only a full fetch is the truth.
        from_date = None
        result = client.fetch_values(*request, progress=progress)
    return result, from_date


def fetched_load(
    kolada: KoladaConfig,
    client: KoladaClient,
    result: FetchResult,
    from_date: str | None,
    calendar: pa.Table,
    request: tuple[list[str], list[str], list[int]],
) -> FetchedLoad:
    """What the fetch brought, ready to land: the values, the KPI calendar beside them, the
    scope a full fetch speaks for (withdrawn values inside it) and the manifest's fields."""
    kpis, municipalities, years = request
    return FetchedLoad(
        source=SOURCE,
        key=KEY,
        schema=KOLADA_VALUES_SCHEMA,
        rows=result.rows,
        replay_version=client.http.last_headers.get(snapshot.REPLAY_HEADER),
        url=kolada.base_url,
        mode="incremental" if from_date else "full",
        from_date=from_date,
        replay_snapshot=kolada.replay_snapshot,
        extra_tables={"kpis": calendar},
        scope={
            "kpi_id": frozenset(kpis),
            "municipality_id": frozenset(municipalities),
            "year": frozenset(str(y) for y in years),
        },
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
            "request_limits": client.limits.as_manifest(),
            "payload_sha256": result.sha256,
        },
    )
