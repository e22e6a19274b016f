"""The SCB PxWeb client against the replay server: v1 and v2, cell limits, faults, the raw load."""

from __future__ import annotations

import dataclasses
import json

import pytest
import requests

from ingest.catalogue import follow_up_scope, read_geographies
from ingest.errors import FetchError, ResponseFormatError
from ingest.http import HttpClient
from ingest.landing import RawLanding
from ingest.pxweb.client import PxWebClient
from ingest.pxweb.jsonstat import jsonstat2_to_rows
from ingest.pxweb.load import run_load
from ingest.pxweb.series import parse_series_id
from ingest.snapshot import BUNDLED, REPLAY_HEADER
from ingest.snapshot.scb_specs import load_specs

pytestmark = pytest.mark.integration

SERIES = list(load_specs().series)
UNEMPLOYMENT = "AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2"
MATCHING = "AM/AM9906/AM9906A/RegionInd19M2N|Grupp=totalt"
POPULATION = "TAB6471|ContentsCode=000007SF|Alder=0-9"
KOMMUN_UNEMPLOYMENT = "AM/AM0210/AM0210D/ArRegArbStatus|ContentsCode=ArbLoshet|Alder=16-64"
# Riket, the 21 län and the 12 kommuner of Örebro län: what a follow-up of 0018 asks for.
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2010, 2026))
V1_MATCHING = "/OV0104/v1/doris/sv/ssd/AM/AM9906/AM9906A/RegionInd19M2N"


def client(config, http_config) -> PxWebClient:
    return PxWebClient(config, HttpClient(http_config))


def keyed(rows):
    return sorted((r["series_id"], r["region_code"], r["year"], r["sex"], r["value"]) for r in rows)


def v1_query(**selection: list[str]) -> dict:
    return {
        "query": [
            {"code": var, "selection": {"filter": "item", "values": codes}}
            for var, codes in selection.items()
        ],
        "response": {"format": "json-stat2"},
    }


def test_v1_fetch_values_returns_long_rows_with_kolada_codes_and_sexes(scb_config, fast_http):
    result = client(scb_config, fast_http).fetch_values(
        parse_series_id(MATCHING), ["0000", "0018", "0020"], YEARS
    )
    assert result.requests == 1 and len(result.sha256) == 64
    # Riket is not in the real material, so not in the table's Region list: not asked.
    assert len(result.rows) == 2 * 6 * 3  # regions x years 2015-2020 x sexes
    row = next(
        r for r in result.rows if (r["region_code"], r["year"], r["sex"]) == ("0020", 2018, "K")
    )
    source = next(
        r
        for r in BUNDLED.scb_values()
        if (r["series_id"], r["region_code"], r["year"], r["sex"]) == (MATCHING, "0020", 2018, "K")
    )
    assert row == {
        "series_id": MATCHING,
        "table_id": "AM/AM9906/AM9906A/RegionInd19M2N",
        "region_code": "0020",
        "year": 2018,
        "sex": "K",
        "value": source["value"],
        "status": "",
        "is_deleted": False,
    }


def test_v1_fetch_values_of_a_series_fixing_kon_gives_only_totals(scb_config, fast_http):
    result = client(scb_config, fast_http).fetch_values(
        parse_series_id(UNEMPLOYMENT), ["0000", "0018", "1880"], [2019, 2020, 2021, 2022]
    )
    # 1880 is a kommun the län table does not publish; 2019 is not in the table: neither asked.
    assert {(r["region_code"], r["sex"]) for r in result.rows} == {("0000", "T"), ("0018", "T")}
    assert sorted({r["year"] for r in result.rows}) == [2020, 2021, 2022]


def test_v2_metadata_and_data_are_the_recorded_scb_answers(scb_config, fast_http):
    px = client(scb_config, fast_http)
    series = parse_series_id(POPULATION)
    meta = px.table_metadata(series)
    assert meta.api == "v2" and meta.title.startswith("Folkmängden per månad")
    assert len(meta.variable("Region").values) == 312
    assert meta.variable("Tid").time and meta.variable("Kon").elimination
    assert meta.units["000007SF"]["base"] == "antal"
    selection = {
        "Region": ["01", "18"],
        "Alder": ["0-9"],
        "Kon": ["TotSa", "1", "2"],
        "ContentsCode": ["000007SF"],
        "Tid": ["2026M01", "2026M04"],
    }
    cells, requests_made, _ = px.fetch_cells(series, selection)
    recorded = json.loads(
        (BUNDLED.scb_dir / "recorded" / "scb_TAB6471_data.json").read_text(encoding="utf-8")
    )
    expected = [
        r
        for r in jsonstat2_to_rows(recorded, "recorded")
        if all(r[var] in codes for var, codes in selection.items())
    ]
    assert requests_made == 1
    assert cells == expected and len(cells) == 12
    assert px.http.stats.urls[-1].endswith(
        "/api/v2/tables/TAB6471/data?lang=sv&outputFormat=json-stat2"
    )


def test_v2_data_answers_a_get_selection_in_valuecodes_parameters(replay):
    resp = requests.get(
        f"{replay.url}/api/v2/tables/TAB6471/data",
        params={
            "lang": "sv",
            "outputFormat": "json-stat2",
            "valuecodes[Region]": "18",
            "valuecodes[Alder]": "0-9,10-19",
            "valuecodes[ContentsCode]": "000007SF",
            "valuecodes[Tid]": "2026M01",
        },
        timeout=5,
    )
    assert resp.status_code == 200
    doc = resp.json()
    # Kon left out is eliminated to its total, as SCB's table allows.
    assert doc["id"] == ["Region", "Alder", "ContentsCode", "Tid"] and doc["size"] == [1, 2, 1, 1]
    assert doc["class"] == "dataset" and doc["version"] == "2.0"
    assert doc["role"] == {"time": ["Tid"], "metric": ["ContentsCode"]}


def test_v2_fetch_values_keeps_monthly_time_codes_out_of_annual_rows(scb_config, fast_http):
    px = client(scb_config, fast_http)
    result = px.fetch_values(parse_series_id(POPULATION), ["0018"], [2025, 2026])
    assert result.rows == [] and result.requests == 0
    assert px.http.stats.requests == 1  # the metadata only


def test_v1_answers_follow_the_recorded_jsonstat2_shape(replay):
    resp = requests.post(
        f"{replay.url}{V1_MATCHING}",
        json=v1_query(
            Region=["01", "18"],
            Grupp=["totalt"],
            Kon=["1", "2", "1+2"],
            ContentsCode=["000005SF"],
            Tid=["2020"],
        ),
        timeout=5,
    )
    assert resp.status_code == 200
    doc = resp.json()
    assert list(doc)[:5] == ["class", "label", "source", "updated", "id"]
    assert {"size", "dimension", "value", "role", "version"} <= set(doc)
    assert doc["id"] == ["Region", "Grupp", "Kon", "ContentsCode", "Tid"]
    assert doc["size"] == [2, 1, 3, 1, 1] and len(doc["value"]) == 6
    contents = doc["dimension"]["ContentsCode"]
    assert contents["label"] == "tabellinnehåll"
    assert contents["category"]["unit"] == {"000005SF": {"base": "procent", "decimals": 1}}
    assert doc["dimension"]["Region"]["category"]["label"] == {
        "01": "Stockholms län",
        "18": "Örebro län",
    }
    assert doc["role"] == {"time": ["Tid"], "metric": ["ContentsCode"]}


def test_a_query_over_the_cell_limit_is_split_into_the_same_rows(replay, scb_config, fast_http):
    whole = client(scb_config, fast_http).fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    assert whole.requests == 1 and len(whole.rows) == 21 * 6 * 3
    replay.max_cells = 20
    px = client(dataclasses.replace(scb_config, max_cells=20), fast_http)
    split = px.fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    assert split.requests > 10
    assert keyed(split.rows) == keyed(whole.rows)
    assert px.http.stats.status_counts.get(403, 0) == 0
    small = client(dataclasses.replace(scb_config, max_cells=5), fast_http)  # years split too
    by_year = small.fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    assert by_year.requests == 21 * 6
    assert keyed(by_year.rows) == keyed(whole.rows)


def test_a_selection_over_the_cell_limit_is_refused_with_403_then_split(
    replay, scb_config, fast_http
):
    whole = client(scb_config, fast_http).fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    replay.max_cells = 20  # the client still plans 100 000 cells a request: SCB refuses
    px = client(scb_config, fast_http)
    split = px.fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    assert keyed(split.rows) == keyed(whole.rows) and len(split.rows) == len(whole.rows)
    assert px.http.stats.status_counts[403] >= 1 and px.limits.max_cells <= 20
    assert V1_MATCHING in px.limits.learned_from and "HTTP 403" in px.limits.learned_from
    resp = requests.post(
        f"{replay.url}/api/v2/tables/TAB6471/data",
        json={
            "selection": [
                {"variableCode": "Region", "valueCodes": ["*"]},
                {"variableCode": "Alder", "valueCodes": ["*"]},
                {"variableCode": "ContentsCode", "valueCodes": ["000007SF"]},
                {"variableCode": "Tid", "valueCodes": ["2026M01"]},
            ]
        },
        timeout=5,
    )
    assert resp.status_code == 403
    assert resp.headers["Content-Type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["status"] == 403 and problem["title"] == "Forbidden"
    assert "231 cells" in problem["detail"] and "(20)" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (V1_MATCHING, v1_query(Bogus=["1"]), "unknown variable 'Bogus'"),
        (
            V1_MATCHING,
            v1_query(
                Region=["0114"],
                Grupp=["totalt"],
                Kon=["1"],
                ContentsCode=["000005SF"],
                Tid=["2020"],
            ),
            "Value, 0114 is not a valid value code for variable Region",
        ),
        (
            "/api/v2/tables/TAB6471/data",
            {"selection": [{"variableCode": "Tid", "valueCodes": ["2019"]}]},
            "Value, 2019 is not a valid value code for variable Tid",
        ),
    ],
    ids=["v1-variable", "v1-value", "v2-value"],
)
def test_an_unknown_variable_or_value_code_is_a_400_naming_it(replay, path, body, message):
    resp = requests.post(f"{replay.url}{path}", json=body, timeout=5)
    assert resp.status_code == 400
    text = resp.json().get("error") or resp.json().get("detail")
    assert message in text


def test_one_429_and_one_500_on_data_posts_are_retried_to_the_same_rows(
    replay, scb_config, fast_http
):
    clean = client(scb_config, fast_http).fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    replay.faults.set(
        [
            {"kind": "status", "status": 429, "retry_after": 0, "times": 1, "path": "RegionInd"},
            {"kind": "status", "status": 500, "times": 1, "path": "RegionInd"},
        ]
    )
    px = client(scb_config, fast_http)
    recovered = px.fetch_values(parse_series_id(MATCHING), GEOS, YEARS)
    assert keyed(recovered.rows) == keyed(clean.rows)
    assert px.http.stats.retries == 2
    assert px.http.stats.status_counts[429] == 1 and px.http.stats.status_counts[500] == 1


def test_a_status_fault_hits_a_post_data_request_too(replay, scb_config, fast_http):
    px = client(scb_config, fast_http)
    series = parse_series_id(UNEMPLOYMENT)
    selection = px.selection(series, px.table_metadata(series), ["0018"], [2020])
    replay.faults.set([{"kind": "status", "status": 503, "times": 1, "path": "ArbStatusAr$"}])
    cells, _, _ = px.fetch_cells(series, selection)
    assert [c["value"] for c in cells] == [7.2]
    assert px.http.stats.status_counts[503] == 1 and px.http.stats.retries == 1


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ({"kind": "truncate", "path": "RegionInd"}, FetchError, "(?i)incomplete"),
        (
            {"kind": "rename_field", "from": "value", "to": "values", "path": "RegionInd"},
            ResponseFormatError,
            "has no 'value'",
        ),
        ({"kind": "status", "status": 404, "path": "RegionInd"}, FetchError, "HTTP 404"),
    ],
    ids=["truncated-body", "renamed-field", "not-found"],
)
def test_a_bad_scb_response_is_rejected_and_lands_nothing(
    replay, scb_config, fast_http, tmp_path, fault, error, message
):
    replay.faults.set([fault])
    with pytest.raises(error, match=message):
        run_load(
            SERIES,
            GEOS,
            YEARS,
            tmp_path,
            config=scb_config,
            http=dataclasses.replace(fast_http, max_attempts=2),
        )
    assert RawLanding(tmp_path, "scb").loads() == []


def test_run_load_lands_the_real_scb_values_with_their_sources_and_a_manifest(
    scb_config, fast_http, tmp_path
):
    summary = run_load(SERIES, GEOS, YEARS, tmp_path, config=scb_config, http=fast_http)
    landing = RawLanding(tmp_path, "scb")
    manifest = landing.manifest(summary.load_id)
    in_scope = [r for r in BUNDLED.scb_values() if r["region_code"] in GEOS and r["year"] in YEARS]
    assert summary.rows == manifest["row_count"] == len(in_scope)
    assert summary.synthetic_rows == 0
    assert manifest["api"] == "pxweb" and manifest["source"] == "scb"
    assert manifest["served_by_replay"] is True
    assert manifest["replay_snapshot"] == BUNDLED.scb_version
    assert manifest["base_urls"] == {"v1": scb_config.v1_base_url, "v2": scb_config.v2_base_url}
    assert manifest["request"]["series_ids"] == SERIES
    assert len(manifest["payload_sha256"]) == 64
    assert set(manifest["series"]) == set(SERIES)
    assert manifest["request_urls"] and all(
        u.startswith("http://127.0.0.1:") for u in manifest["request_urls"]
    )
    for key in ("started_at", "finished_at", "duration_s", "http"):
        assert key in manifest
    values = landing.read(summary.load_id, "values").to_pandas()
    assert list(values.columns) == [
        "load_id",
        "series_id",
        "table_id",
        "region_code",
        "year",
        "sex",
        "value",
        "status",
        "is_deleted",
        "is_synthetic",
        "provenance",
    ]
    assert not values.is_deleted.any()

    def one(series_id, region, year, sex):
        hit = values[
            (values.series_id == series_id)
            & (values.region_code == region)
            & (values.year == year)
            & (values.sex == sex)
        ]
        assert len(hit) == 1
        return hit.iloc[0]

    real = one(UNEMPLOYMENT, "0018", 2020, "T")
    assert not real.is_synthetic and real.provenance.startswith("Region-Dalarna/")
    kommun = one(KOMMUN_UNEMPLOYMENT, "1880", 2022, "T")
    assert not kommun.is_synthetic and kommun.provenance.startswith("Viktorheidmark/")
    assert not values.is_synthetic.any()
    assert "0000" not in set(values[values.series_id == MATCHING].region_code)


def test_every_scb_answer_names_the_scb_snapshot_and_kolada_keeps_its_own(replay):
    for path in (
        V1_MATCHING,
        "/api/v2/config",
        "/api/v2/tables/TAB6471/metadata",
        "/api/v2/tables/NOPE/metadata",
        "/OV0104/v1/doris/sv/ssd/NO/SUCH/TABLE",
    ):
        resp = requests.get(f"{replay.url}{path}", timeout=5)
        assert resp.headers[REPLAY_HEADER] == BUNDLED.scb_version, path
    kolada = requests.get(f"{replay.url}/v3/municipality", timeout=5)
    assert kolada.headers[REPLAY_HEADER] == BUNDLED.kolada_version


def test_the_v2_config_is_the_recorded_one_with_the_replays_cell_limit(replay):
    replay.max_cells = 1234
    config = requests.get(f"{replay.url}/api/v2/config", timeout=5).json()
    assert config["maxDataCells"] == 1234
    assert config["defaultDataFormat"] == "json-stat2" and config["apiVersion"] == "2.2.0"


def test_v2_table_listing_names_the_served_tables_in_scbs_shape(replay):
    """GET /api/v2/tables (pxwebpy asks for it first): SCB's listing shape, the served tables."""
    recorded = json.loads(
        (BUNDLED.scb_dir / "recorded" / "scb_TAB6471_metadata.json").read_text(encoding="utf-8")
    )
    doc = requests.get(f"{replay.url}/api/v2/tables", params={"lang": "sv"}, timeout=10).json()
    assert set(doc) == {"language", "tables", "page", "links"}
    assert doc["page"]["totalElements"] == len(doc["tables"]) == 1
    (entry,) = doc["tables"]
    assert (entry["id"], entry["label"], entry["updated"]) == (
        "TAB6471",
        recorded["label"],
        recorded["updated"],
    )
    assert entry["firstPeriod"] < entry["lastPeriod"]
