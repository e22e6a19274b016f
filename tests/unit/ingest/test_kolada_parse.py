from __future__ import annotations

import pytest

from ingest.config import KoladaConfig
from ingest.errors import ResponseFormatError
from ingest.kolada.client import KoladaClient
from ingest.kolada.parse import next_page_url, parse_data_page

URL = "http://127.0.0.1:1/v3/data/kpi/N01982/municipality/0018/year/2020"


def page(**item_overrides):
    item = {
        "kpi": "N01982",
        "municipality": "0018",
        "period": 2020,
        "values": [
            {"count": 1, "gender": "T", "status": None, "value": 40.1},
            {"count": 1, "gender": "K", "status": "", "value": 45.0},
            {"count": 1, "gender": "M", "status": None, "value": None},
        ],
    }
    item.update(item_overrides)
    return {"values": [item], "count": 1, "next_url": None}


def test_parse_data_page_gives_one_row_per_gender_with_null_values_kept():
    rows = parse_data_page(page(), URL)
    assert [(r["gender"], r["value"]) for r in rows] == [("T", 40.1), ("K", 45.0), ("M", None)]
    assert {r["year"] for r in rows} == {2020}
    assert not any(r["is_deleted"] for r in rows)


def test_parse_data_page_reads_the_v3_isdeleted_flag():
    doc = page()
    doc["values"][0]["values"][0]["isdeleted"] = 1
    assert parse_data_page(doc, URL)[0]["is_deleted"] is True


def test_a_renamed_field_is_an_error_naming_the_url_and_the_field():
    doc = page()
    doc["values"][0]["municipality_id"] = doc["values"][0].pop("municipality")
    with pytest.raises(ResponseFormatError) as err:
        parse_data_page(doc, URL)
    assert URL in str(err.value)
    assert "'municipality'" in str(err.value)


def test_an_unknown_gender_code_is_rejected():
    doc = page()
    doc["values"][0]["values"][0]["gender"] = "F"
    with pytest.raises(ResponseFormatError, match="expected one of T, K, M"):
        parse_data_page(doc, URL)


def test_a_body_without_values_list_is_rejected():
    with pytest.raises(ResponseFormatError, match="'values' list"):
        parse_data_page({"data": []}, URL)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"next_url": "http://127.0.0.1/p2"}, "http://127.0.0.1/p2"),
        ({"next_page": "http://127.0.0.1/p2"}, "http://127.0.0.1/p2"),
        ({"next_url": None}, None),
        ({"next_url": ""}, None),
        ({}, None),
    ],
    ids=["v3", "v2", "null", "empty", "absent"],
)
def test_next_page_url_follows_v3_and_v2_fields(doc, expected):
    assert next_page_url(doc) == expected


def test_data_urls_split_id_lists_at_25_per_path_segment():
    client = KoladaClient(KoladaConfig(base_url="http://127.0.0.1:1/v3"))
    kpis = [f"N{i:05d}" for i in range(30)]
    urls = client.data_urls(kpis, ["0018"], range(2010, 2026))
    # 30 KPIs → 2 chunks (25 + 5); 16 years fit one segment.
    assert len(urls) == 2
    assert urls[0].count(",") == 24 + 0 + 15


def test_kolada_config_rejects_a_base_url_that_is_not_http():
    with pytest.raises(ValueError, match="KOLADA_BASE_URL"):
        KoladaConfig(base_url="api.kolada.se/v3")
