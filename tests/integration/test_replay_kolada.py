"""The Kolada client against the replay server: paging, faults, and nothing half-landed."""

from __future__ import annotations

import dataclasses
import json

import pytest
import requests

from ingest.catalogue import follow_up_scope, read_geographies, read_indicators
from ingest.config import HttpConfig, KoladaConfig
from ingest.errors import FetchError, HttpStatusError, ResponseFormatError
from ingest.http import HttpClient
from ingest.kolada.client import KoladaClient
from ingest.kolada.load import run_load
from ingest.landing import RawLanding
from ingest.replay.server import ReplayServer
from ingest.snapshot import BUNDLED
from ingest.snapshot.synthetic import GENERATOR, write_synthetic

pytestmark = pytest.mark.integration

KPIS = [i.source_series_id for i in read_indicators() if i.source == "kolada"]
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2010, 2026))


def fetch(config, http_config, **kw):
    client = KoladaClient(config, HttpClient(http_config))
    return client, client.fetch_values(KPIS, GEOS[:25], YEARS, **kw)


def keyed(rows):
    return sorted(
        (r["kpi_id"], r["municipality_id"], r["year"], r["gender"], r["value"]) for r in rows
    )


def test_pagination_follows_next_url_across_three_or_more_pages(kolada_config, fast_http):
    _, whole = fetch(kolada_config, fast_http)
    _, paged = fetch(dataclasses.replace(kolada_config, per_page=300), fast_http)
    # Since the snapshot holds all 21 län, even per_page=5000 may need more than one page per URL.
    assert paged.pages >= 3 and paged.pages > whole.pages
    assert keyed(paged.rows) == keyed(whole.rows)


def test_one_429_and_one_500_are_retried_to_the_same_rows(replay, kolada_config, fast_http):
    _, clean = fetch(kolada_config, fast_http)
    replay.faults.set(
        [
            {"kind": "status", "status": 429, "retry_after": 0, "times": 1},
            {"kind": "status", "status": 500, "times": 1},
        ]
    )
    client, recovered = fetch(kolada_config, fast_http)
    assert keyed(recovered.rows) == keyed(clean.rows)
    assert client.http.stats.retries == 2
    assert client.http.stats.status_counts[429] == 1
    assert client.http.stats.status_counts[500] == 1


def test_a_timeout_that_exhausts_retries_fails_naming_the_url(replay, kolada_config, fast_http):
    replay.faults.set([{"kind": "latency", "seconds": 1.0}])
    http = dataclasses.replace(fast_http, read_timeout_s=0.2, max_attempts=2)
    with pytest.raises(FetchError) as err:
        fetch(kolada_config, http)
    assert "/v3/data/kpi/" in err.value.url
    assert err.value.url in str(err.value)
    assert "timed out" in str(err.value)
    assert "2 attempt(s)" in str(err.value)


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ({"kind": "truncate"}, FetchError, "(?i)incomplete"),
        (
            {"kind": "rename_field", "from": "municipality", "to": "municipality_id"},
            ResponseFormatError,
            "no field 'municipality'",
        ),
        ({"kind": "status", "status": 404}, FetchError, "HTTP 404"),
    ],
    ids=["truncated-body", "renamed-field", "not-found"],
)
def test_a_bad_response_is_rejected_and_lands_nothing(
    replay, kolada_config, fast_http, tmp_path, fault, error, message
):
    replay.faults.set([fault])
    with pytest.raises(error, match=message):
        run_load(
            KPIS,
            GEOS,
            YEARS,
            tmp_path,
            kolada=kolada_config,
            http=dataclasses.replace(fast_http, max_attempts=2),
        )
    landing = RawLanding(tmp_path, "kolada")
    assert landing.loads() == []
    if error is ResponseFormatError:
        # The body that could not be parsed is kept for inspection, with the reason.
        (rejected,) = landing.rejected_dir.iterdir()
        reason = json.loads((rejected / "error.json").read_text(encoding="utf-8"))
        assert "no field 'municipality'" in reason["problem"]
        body = json.loads((rejected / "response.body").read_bytes())
        assert "municipality_id" in body["values"][0]


def test_a_load_records_the_manifest_and_the_source_of_every_real_value(
    kolada_config, fast_http, tmp_path
):
    summary = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    landing = RawLanding(tmp_path, "kolada")
    manifest = landing.manifest(summary.load_id)
    assert manifest["served_by_replay"] is True
    assert manifest["row_count"] == summary.rows > 0
    assert len(manifest["payload_sha256"]) == 64
    # The seconds spent fetching and landing (the benchmarks split the ingest stage by them).
    timings = manifest["timings"]
    assert timings["fetch_s"] > 0 and timings["land_s"] > 0
    assert timings["fetch_s"] + timings["land_s"] == pytest.approx(manifest["duration_s"], abs=0.01)
    assert manifest["request_urls"] and all(
        u.startswith("http://127.0.0.1:") for u in manifest["request_urls"]
    )
    values = landing.read(summary.load_id, "values").to_pandas()
    # The bundled snapshot is real: Örebro län's business R&D 2019 from Region Dalarna's pull,
    # its eligibility share 2022 from the Kolada scrape; Riket has no R&D figure at all.
    rd = values[(values.kpi_id == "N85085") & (values.year == 2019)]
    assert rd[rd.municipality_id == "0018"].provenance.item().startswith("Region-Dalarna/")
    assert "0000" not in set(rd.municipality_id)
    eligibility = values[
        (values.kpi_id == "N15428") & (values.municipality_id == "0018") & (values.year == 2022)
    ]
    assert dict(zip(eligibility.gender, eligibility.value, strict=True))["T"] == 78.6
    assert not values.is_synthetic.any() and summary.synthetic_rows == 0


def test_a_replay_serving_a_generated_snapshot_labels_every_value_synthetic(fast_http, tmp_path):
    snap = write_synthetic(tmp_path / "snap", ["N15428", "N00999"], ["0000", "0018"], [2020, 2021])
    server = ReplayServer(store=snap)
    server.start_in_thread()
    try:
        config = KoladaConfig(base_url=f"{server.url}/v3", replay_snapshot=snap.root)
        summary = run_load(
            ["N15428", "N00999"],
            ["0000", "0018"],
            [2020, 2021],
            tmp_path / "raw",
            kolada=config,
            http=fast_http,
        )
    finally:
        server.shutdown()
        server.server_close()
    values = RawLanding(tmp_path / "raw", "kolada").read(summary.load_id, "values").to_pandas()
    assert len(values) == 2 * 2 * (3 + 1) == summary.synthetic_rows  # N15428 by sex, N00999 T
    assert values.is_synthetic.all() and values.provenance.str.startswith(GENERATOR).all()
    # A load told nothing of the generated snapshot refuses to label it as the bundled one.
    server = ReplayServer(store=snap)
    server.start_in_thread()
    try:
        with pytest.raises(ResponseFormatError, match="cannot label synthetic values"):
            run_load(
                ["N15428"],
                ["0018"],
                [2020],
                tmp_path / "raw2",
                kolada=KoladaConfig(base_url=f"{server.url}/v3"),
                http=fast_http,
            )
    finally:
        server.shutdown()
        server.server_close()


def test_the_replay_server_refuses_too_many_ids_in_one_segment(replay):
    kpis = ",".join(f"N{i:05d}" for i in range(26))
    resp = requests.get(f"{replay.url}/v3/data/kpi/{kpis}/year/2020", timeout=5)
    assert resp.status_code == 400
    assert "too many kpi ids" in resp.json()["error"]


def test_the_replay_server_serves_v2_paging_fields_too(replay):
    resp = requests.get(f"{replay.url}/v2/data/kpi/N01982/year/2020?per_page=5", timeout=5).json()
    assert resp["count"] == 5 and "next_page" in resp and "next_url" not in resp


def test_the_replay_server_binds_only_to_loopback():
    with pytest.raises(ValueError, match="loopback only"):
        ReplayServer("0.0.0.0", 0)


def test_an_unknown_fault_kind_is_rejected_naming_the_kinds(replay):
    resp = requests.post(f"{replay.url}/__replay__/faults", json=[{"kind": "gremlins"}], timeout=5)
    assert resp.status_code == 400
    assert "gremlins" in resp.json()["error"] and "truncate" in resp.json()["error"]


def test_http_errors_name_url_and_cause_without_retrying_a_client_error(replay, fast_http):
    client = HttpClient(fast_http)
    with pytest.raises(FetchError, match=r"HTTP 404") as err:
        client.get_json(f"{replay.url}/v3/nonexistent")
    assert err.value.url.endswith("/v3/nonexistent")
    assert client.stats.requests == 1


def test_a_422_is_not_retried_and_the_error_keeps_its_status_and_body(replay, fast_http):
    body = {"detail": [{"type": "too_long", "msg": "List should have at most 8 items"}]}
    replay.faults.set([{"kind": "status", "status": 422, "body": body}])
    client = HttpClient(fast_http)
    with pytest.raises(HttpStatusError, match="HTTP 422") as err:
        client.get_json(f"{replay.url}/v3/data/kpi/N01982/year/2020")
    assert err.value.status == 422 and json.loads(err.value.body) == body
    assert client.stats.requests == 1 and client.stats.retries == 0


def test_the_v3_data_envelope_is_served_as_live_kolada_answered(replay):
    """FORMATS.md: status "" (not null), float values, isdeleted on every value, the gender order
    varying, next_url/previous_url null on the last page, an empty selection a 200 with []."""
    doc = requests.get(
        f"{replay.url}/v3/data/kpi/N01951/municipality/0018/year/2019,2020", timeout=5
    ).json()  # N01951 is divided by gender
    assert doc["next_url"] is None and doc["previous_url"] is None
    entries = [v for item in doc["values"] for v in item["values"]]
    assert entries and all(isinstance(v["isdeleted"], bool) for v in entries)
    assert all(v["status"] is not None for v in entries)
    assert all(isinstance(v["value"], float) for v in entries if v["value"] is not None)
    orders = {tuple(v["gender"] for v in item["values"]) for item in doc["values"]}
    assert len(orders) == 2 and all(sorted(o) == ["K", "M", "T"] for o in orders)
    empty = requests.get(f"{replay.url}/v3/data/kpi/N99999/year/2020", timeout=5)
    assert empty.status_code == 200 and empty.json()["values"] == []


def test_every_request_has_a_descriptive_user_agent(fast_http):
    assert HttpClient(fast_http).session.headers["User-Agent"].startswith("rus-pipeline/")
    assert HttpConfig().user_agent.startswith("rus-pipeline/")


def test_duplicate_and_recode_faults_reach_the_landed_load(
    replay, kolada_config, fast_http, tmp_path
):
    """The replay can send a value twice or under a code the source does not have; the loader
    lands what it got (validation, not the loader, decides what is acceptable)."""
    replay.faults.set(
        [
            {"kind": "duplicate_item", "kpi": KPIS[0], "municipality": GEOS[0]},
            {"kind": "recode_field", "field": "municipality", "from": GEOS[1], "to": "1899"},
        ]
    )
    run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    landing = RawLanding(tmp_path, "kolada")
    values = landing.read(landing.loads()[-1], "values").to_pandas()
    key = ["kpi_id", "municipality_id", "year", "gender"]
    dupes = values[values.duplicated(key, keep=False)]
    assert len(dupes) > 0 and set(dupes["kpi_id"]) == {KPIS[0]}
    assert set(dupes["municipality_id"]) == {GEOS[0]}
    assert "1899" in set(values["municipality_id"])
    assert GEOS[1] not in set(values["municipality_id"])


def test_a_load_lands_kolada_s_publication_calendar_beside_the_values(
    kolada_config, fast_http, tmp_path
):
    summary = run_load(KPIS, GEOS, [2021, 2022], tmp_path, kolada=kolada_config, http=fast_http)
    calendar = RawLanding(tmp_path, "kolada").read(summary.load_id, "kpis").to_pylist()
    assert {r["kpi_id"] for r in calendar} == set(KPIS)
    assert all(r["load_id"] == summary.load_id for r in calendar)
    served = {r["id"]: r for r in BUNDLED.kolada_csv("kpi.csv")}
    for row in calendar:  # exactly what Kolada's KPI metadata says
        meta = served[row["kpi_id"]]
        assert row["publ_period"] == (meta["publ_period"] or None)
        assert row["publication_date"] == (meta["publication_date"] or None)


def test_concurrent_requests_give_the_rows_and_hash_of_one_at_a_time(kolada_config, fast_http):
    small = dataclasses.replace(kolada_config, per_page=500, concurrency=1)
    client_one, one = fetch(small, fast_http)
    client_four, four = fetch(dataclasses.replace(small, concurrency=4), fast_http)
    assert one.rows == four.rows  # same order, not only the same set
    assert (one.pages, one.sha256) == (four.pages, four.sha256)
    assert client_one.http.stats.requests == client_four.http.stats.requests == one.pages


def test_a_failure_on_one_thread_fails_the_fetch_naming_its_url(replay, kolada_config, fast_http):
    replay.faults.set([{"kind": "status", "status": 404, "path": "N0040[13]", "times": 1}])
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(dataclasses.replace(kolada_config, concurrency=4), fast_http)


def test_the_query_form_of_the_data_endpoint_answers_as_the_path_form(replay):
    """koladapy's form: repeated kpi_id/municipality_id/year parameters (FORMATS.md)."""
    path = requests.get(
        f"{replay.url}/v3/data/kpi/N01982,N00401/municipality/0018,1880/year/2020,2021", timeout=10
    ).json()
    query = requests.get(
        f"{replay.url}/v3/data/",
        params={
            "kpi_id": ["N01982", "N00401"],
            "municipality_id": ["0018", "1880"],
            "year": ["2020", "2021"],
            "per_page": "2",
        },
        timeout=10,
    ).json()
    assert query["count"] == path["count"] > 2
    # The next page keeps every repeated parameter.
    assert "kpi_id=N01982&kpi_id=N00401" in query["next_url"]
    too_many = requests.get(
        f"{replay.url}/v3/data/",
        params={"kpi_id": [f"N{i:05d}" for i in range(26)], "year": "2020"},
        timeout=10,
    )
    assert too_many.status_code == 400
    assert "too many kpi ids in one query parameter" in too_many.text
    one_key = requests.get(f"{replay.url}/v3/data/", params={"year": "2020"}, timeout=10)
    assert one_key.status_code == 400
