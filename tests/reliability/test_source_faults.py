"""Faults of the sources, at the load level: the real clients and landing against the replay
server. Transient faults cost nothing (the load lands exactly a clean load's rows); permanent ones
fail the load naming the URL and the cause, land nothing, and keep the other source's load."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ingest.catalogue import follow_up_scope, read_geographies
from ingest.config import KoladaConfig
from ingest.errors import IngestError
from ingest.kolada.load import run_load as run_kolada
from ingest.landing import RawLanding
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.load import run_load as run_scb
from ingest.snapshot.scb_specs import load_specs
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.integration

KPIS = ["N15428", "N85085"]
SCB_SERIES = sorted(load_specs().series)[:2]
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2015, 2023))
KOLADA_DATA = r"^/v3/data/"
SCB_DATA = r"^/(OV0104|api/v2)/"

TRANSIENT = {
    "429_retry_after": {"kind": "status", "status": 429, "retry_after": 1, "times": 2},
    "502_bad_gateway": {"kind": "status", "status": 502, "times": 2},
    "503_unavailable": {"kind": "status", "status": 503, "times": 2},
    "connection_reset": {"kind": "reset", "times": 2},
    "read_timeout": {"kind": "latency", "seconds": 3.0, "times": 1},
    "slow_body": {"kind": "slow_body", "seconds": 0.3, "pieces": 3, "times": 2},
    "truncated_body": {"kind": "truncate", "times": 1},
}
PERMANENT = {
    "kolada_404_for_a_kpi": ("kolada", {"kind": "status", "status": 404}, "HTTP 404"),
    "kolada_body_not_json": ("kolada", {"kind": "garbage"}, "not valid JSON"),
    "kolada_renamed_field": (
        "kolada",
        {"kind": "rename_field", "from": "municipality", "to": "municipality_code"},
        "no field 'municipality'",
    ),
    "kolada_page_link_loops": ("kolada", {"kind": "loop_page"}, "pagination loops"),
    "scb_400_malformed_query": ("scb", {"kind": "status", "status": 400}, "HTTP 400"),
    "scb_body_not_json": ("scb", {"kind": "garbage"}, "not valid JSON"),
    "scb_renamed_field": (
        "scb",
        {"kind": "rename_field", "from": "value", "to": "valeur"},
        "value",
    ),
}


def load(source: str, replay, http, raw_root):
    if source == "kolada":
        config = KoladaConfig(base_url=f"{replay.url}/v3", per_page=500)
        return run_kolada(KPIS, GEOS, YEARS, raw_root, kolada=config, http=http)
    config = PxWebConfig(
        v1_base_url=f"{replay.url}/OV0104/v1/doris/sv/ssd", v2_base_url=f"{replay.url}/api/v2"
    )
    return run_scb(SCB_SERIES, GEOS, YEARS, raw_root, config=config, http=http)


def rows(raw_root, source: str, load_id: str) -> set[tuple]:
    table: pa.Table = RawLanding(raw_root, source).read(load_id, "values")
    drop = [c for c in ("load_id", "provenance") if c in table.column_names]
    return {tuple(r.values()) for r in table.drop_columns(drop).to_pylist()}


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory) -> dict[str, set[tuple]]:
    """What a load without faults lands, per source."""
    from ingest.config import HttpConfig

    root = tmp_path_factory.mktemp("clean")
    http = HttpConfig(calls_per_period=1000)
    return {
        source: rows(root, source, load(source, server, http, root).load_id)
        for source in ("kolada", "scb")
    }


@pytest.mark.parametrize("source", ["kolada", "scb"])
@pytest.mark.parametrize("fault", list(TRANSIENT))
def test_a_transient_fault_costs_nothing(source, fault, replay, http, clean, tmp_path):
    path = KOLADA_DATA if source == "kolada" else SCB_DATA
    replay.configure([{**TRANSIENT[fault], "path": path}])
    error = None
    try:
        summary = load(source, replay, http, tmp_path)
        landed = rows(tmp_path, source, summary.load_id)
    except IngestError as exc:
        error, landed = exc, set()
    record(
        FaultCase(
            name=f"{source}_{fault}",
            category="transient",
            tried=f"{TRANSIENT[fault]} on the {source} data requests",
            survived=error is None and landed == clean[source],
            rows_lost=len(clean[source] - landed),
            bad_rows_published=len(landed - clean[source]),
            detail=str(error or f"{len(landed)} rows, as a clean load"),
        )
    )
    assert error is None, error
    assert landed == clean[source]


@pytest.mark.parametrize("case", list(PERMANENT))
def test_a_permanent_fault_fails_the_load_naming_url_and_cause(case, replay, http, tmp_path):
    source, fault, cause = PERMANENT[case]
    other = "scb" if source == "kolada" else "kolada"
    kept = load(other, replay, http, tmp_path)  # the other source's load, landed before
    kept_rows = rows(tmp_path, other, kept.load_id)
    replay.configure([{**fault, "path": KOLADA_DATA if source == "kolada" else SCB_DATA}])
    with pytest.raises(IngestError) as caught:
        load(source, replay, http, tmp_path)
    message = str(caught.value)
    named = replay.url in message and cause in message
    landed = RawLanding(tmp_path, source).loads()
    after = rows(tmp_path, other, kept.load_id)
    record(
        FaultCase(
            name=case,
            category="permanent",
            tried=f"{fault} on the {source} data requests",
            survived=named and landed == [] and after == kept_rows,
            rows_lost=len(kept_rows - after),
            bad_rows_published=0 if landed == [] else 1,
            detail=message[:300],
        )
    )
    assert named, message
    assert landed == []  # nothing of the failed load is visible
    assert after == kept_rows  # the other source's load is kept as it was
