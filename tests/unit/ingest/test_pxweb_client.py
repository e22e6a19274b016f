"""PxWeb client pieces that need no server: codes, request splitting, selection, config, labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import snapshot
from ingest.errors import ResponseFormatError
from ingest.pxweb.client import (
    PxWebClient,
    TableMeta,
    Variable,
    _v1_metadata,
    cells,
    split_selection,
    to_kolada_region,
    to_scb_region,
)
from ingest.pxweb.config import PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL, PxWebConfig
from ingest.pxweb.load import KEY
from ingest.pxweb.series import parse_series_id
from ingest.snapshot.synthetic import GENERATOR, write_synthetic

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pxweb"


@pytest.mark.parametrize(
    ("scb", "kolada"), [("00", "0000"), ("18", "0018"), ("01", "0001"), ("1880", "1880")]
)
def test_region_codes_map_between_scb_and_kolada_style_both_ways(scb, kolada):
    assert to_kolada_region(scb) == kolada
    assert to_scb_region(kolada) == scb


@pytest.mark.parametrize("bad", ["0", "018", "SE", "18801"])
def test_to_kolada_region_rejects_a_code_that_is_neither_lan_nor_kommun(bad):
    with pytest.raises(ValueError, match=repr(bad)):
        to_kolada_region(bad)


def test_to_scb_region_rejects_a_code_that_is_not_kolada_style():
    with pytest.raises(ValueError, match="Kolada style"):
        to_scb_region("18")


def test_split_selection_chunks_regions_first_while_all_years_fit():
    sel = {"Region": [f"{i:02d}" for i in range(10)], "Kon": ["1", "2"], "Tid": ["2020", "2021"]}
    parts = split_selection(sel, 12)  # 2 sexes x 2 years = 4 cells per region: 3 regions a part
    assert [len(p["Region"]) for p in parts] == [3, 3, 3, 1]
    assert all(cells(p) <= 12 for p in parts)
    assert [r for p in parts for r in p["Region"]] == sel["Region"]


def test_split_selection_chunks_years_when_one_region_is_too_many_cells():
    sel = {"Region": ["00", "18"], "Kon": ["1", "2", "1+2"], "Tid": ["2018", "2019", "2020"]}
    parts = split_selection(sel, 7)  # 3 sexes: at most 2 years per part, one region at a time
    assert [(p["Region"], p["Tid"]) for p in parts] == [
        (["00"], ["2018", "2019"]),
        (["00"], ["2020"]),
        (["18"], ["2018", "2019"]),
        (["18"], ["2020"]),
    ]
    assert all(cells(p) <= 7 for p in parts)


def test_split_selection_refuses_when_one_region_and_year_exceed_the_limit():
    with pytest.raises(ValueError, match="over the limit of 2"):
        split_selection({"Region": ["00"], "Kon": ["1", "2", "1+2"], "Tid": ["2020"]}, 2)


def meta(*variables: Variable) -> TableMeta:
    return TableMeta("A/B/C", "v1", "t", variables, "http://127.0.0.1:1/A/B/C")


REGION = Variable("Region", "region", ("00", "18", "1880"), ("Riket", "Örebro län", "Örebro"))
TIME = Variable("Tid", "år", ("2019", "2020", "2020M01"), ("2019", "2020", "2020M01"), time=True)
KON = Variable("Kon", "kön", ("1", "2", "1+2"), ("män", "kvinnor", "totalt"), elimination=True)


def test_selection_takes_all_sexes_one_valued_variables_and_only_annual_time_codes():
    client = PxWebClient(PxWebConfig())
    m = meta(
        REGION,
        KON,
        Variable("Alder", "ålder", ("tot",), ("totalt",)),
        Variable("Bakgrund", "b", ("a", "b"), ("a", "b"), elimination=True),
        Variable("ContentsCode", "c", ("X1", "X2"), ("x1", "x2")),
        TIME,
    )
    series = parse_series_id("A/B/C|ContentsCode=X2")
    sel = client.selection(series, m, ["0018", "0000", "9999"], [2020, 2019])
    assert sel == {
        "Region": ["00", "18"],
        "Kon": ["1", "2", "1+2"],
        "Alder": ["tot"],
        "ContentsCode": ["X2"],
        "Tid": ["2019", "2020"],
    }  # Bakgrund is eliminable and left out; 2020M01 is never an annual code


def test_selection_refuses_a_series_that_leaves_a_variable_open():
    client = PxWebClient(PxWebConfig())
    m = meta(REGION, KON, Variable("ContentsCode", "c", ("X1", "X2"), ("x1", "x2")), TIME)
    with pytest.raises(ValueError, match="leaves variable 'ContentsCode' of table A/B/C open"):
        client.selection(parse_series_id("A/B/C|Kon=1"), m, ["0000"], [2020])


def test_selection_refuses_a_fixed_code_the_table_does_not_have_naming_the_url():
    client = PxWebClient(PxWebConfig())
    with pytest.raises(ResponseFormatError, match="Kon='3'") as err:
        client.selection(parse_series_id("A/B/C|Kon=3"), meta(REGION, KON, TIME), ["0000"], [2020])
    assert err.value.url == "http://127.0.0.1:1/A/B/C"


def test_v1_metadata_reads_the_recorded_scb_answer():
    doc = json.loads(
        (FIXTURES / "scb_v1_GET_table_metadata_response.json").read_text(encoding="utf-8")
    )
    m = _v1_metadata("HE/HE0110/HE0110A/SamForvInk1", doc, "u")
    assert [v.code for v in m.variables] == [
        "Region",
        "Kon",
        "Alder",
        "Inkomstklass",
        "ContentsCode",
        "Tid",
    ]
    assert m.variable("Region").value_texts[:2] == ("Riket", "Stockholms län")
    assert m.variable("Kon").elimination and not m.variable("ContentsCode").elimination
    assert m.variable("Tid").time


def test_pxweb_config_takes_the_urls_handed_in_and_defaults_to_scb():
    assert PxWebConfig.from_environ({}) == PxWebConfig(
        PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL
    )
    config = PxWebConfig.from_environ(
        {
            "PXWEB_V1_BASE_URL": "http://127.0.0.1:9/OV0104/v1/doris/sv/ssd/",
            "PXWEB_BASE_URL": "http://127.0.0.1:9/api/v2",
        }
    )
    assert config.v1_base_url == "http://127.0.0.1:9/OV0104/v1/doris/sv/ssd"
    assert config.max_cells == 100_000 and config.lang == "sv"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"v1_base_url": "api.scb.se/x"}, "PXWEB_V1_BASE_URL must be an http"),
        ({"v2_base_url": "ftp://x"}, "PXWEB_BASE_URL must be an http"),
        ({"max_cells": 0}, "max_cells must be >= 1"),
    ],
    ids=["v1-url", "v2-url", "cells"],
)
def test_pxweb_config_rejects_bad_settings_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PxWebConfig(**kwargs)


ROW = {
    "series_id": "AM/AM9906/AM9906A/RegionInd19M2N|Grupp=totalt",
    "table_id": "AM/AM9906/AM9906A/RegionInd19M2N",
    "region_code": "0018",
    "year": 2015,
    "sex": "T",
    "value": 71.4,
    "status": "",
}


def test_with_provenance_never_marks_live_api_values_synthetic():
    assert snapshot.with_provenance([ROW], None, "u", "scb", KEY) == [
        {**ROW, "is_synthetic": False, "provenance": None}
    ]


def test_with_provenance_labels_replay_values_from_the_bundled_snapshot():
    (row,) = snapshot.with_provenance([ROW], snapshot.BUNDLED.scb_version, "u", "scb", KEY)
    assert row["is_synthetic"] is False
    assert row["provenance"].startswith("Region-Dalarna/")
    faulty = {**ROW, "region_code": "0000"}  # no such key in the snapshot: injected by a fault
    (row,) = snapshot.with_provenance([faulty], snapshot.BUNDLED.scb_version, "u", "scb", KEY)
    assert row == {**faulty, "is_synthetic": False, "provenance": snapshot.NOT_IN_SNAPSHOT}


def test_with_provenance_labels_a_generated_snapshot_synthetic(tmp_path):
    snap = write_synthetic(tmp_path, ["N15428"], ["0018"], [2020])
    (row,) = snapshot.with_provenance([ROW], snap.scb_version, "u", "scb", KEY, snap)
    assert row["is_synthetic"] is True and row["provenance"].startswith(GENERATOR)


def test_with_provenance_refuses_a_replay_serving_another_snapshot():
    with pytest.raises(ResponseFormatError, match="cannot label synthetic values"):
        snapshot.with_provenance([ROW], "0" * 16, "u", "scb", KEY)
