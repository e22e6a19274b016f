"""JSON-stat 2.0 → rows: recorded SCB answers parse to the right cells; bad shapes name the URL."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ingest import snapshot
from ingest.errors import ResponseFormatError
from ingest.pxweb.jsonstat import dimensions, jsonstat2_to_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pxweb"
URL = "http://127.0.0.1:1/OV0104/v1/doris/sv/ssd/HE/HE0110/HE0110A/SamForvInk1"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def small(**overrides) -> dict:
    doc = {
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [2, 2],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {"00": 0, "18": 1}}},
            "Tid": {"label": "år", "category": {"index": ["2020", "2021"]}},
        },
        "value": [1.0, 2.0, 3.0, 4.0],
    }
    doc.update(overrides)
    return doc


def test_jsonstat2_to_rows_reads_the_recorded_v1_median_income_answer_row_major():
    doc = load(FIXTURES / "scb_v1_response_jsonstat2_HE0110_median_income_riket.json")
    rows = jsonstat2_to_rows(doc, URL)
    assert len(rows) == 9
    assert rows[0] == {
        "Kon": "1",
        "Alder": "tot16+",
        "ContentsCode": "HE0110J8",
        "Tid": "2020",
        "value": 332.8,
        "status": None,
    }
    by_key = {(r["Kon"], r["Tid"]): r["value"] for r in rows}
    # Last dimension (Tid) fastest: män 2020-2022, then kvinnor, then totalt.
    assert by_key[("1", "2022")] == 359.9
    assert by_key[("2", "2021")] == 263.0
    assert by_key[("1+2", "2020")] == 291.9
    assert all(isinstance(r["value"], float) for r in rows)


def test_jsonstat2_to_rows_reads_the_recorded_v2_population_answer():
    doc = load(snapshot.BUNDLED.scb_dir / "recorded" / "scb_TAB6471_data.json")
    rows = jsonstat2_to_rows(doc, "http://127.0.0.1:1/api/v2/tables/TAB6471/data")
    assert len(rows) == 21 * 11 * 3 * 1 * 4
    first = rows[0]
    assert (first["Region"], first["Alder"], first["Kon"], first["Tid"]) == (
        "01",
        "0-9",
        "TotSa",
        "2026M01",
    )
    assert first["value"] == 245284.0
    assert [r["value"] for r in rows[:4]] == [245284.0, 247245.0, 249358.0, 251635.0]


def test_dimensions_reads_the_recorded_v2_metadata_without_values():
    doc = load(snapshot.BUNDLED.scb_dir / "recorded" / "scb_TAB6471_metadata.json")
    dims = {d.id: d for d in dimensions(doc, "u")}
    assert len(dims["Region"].codes) == 312
    assert dims["Region"].codes[:3] == ("00", "01", "0114")
    assert dims["Kon"].labels["TotSa"] == "totalt, samtliga män och kvinnor"
    assert dims["ContentsCode"].units["000007SF"] == {"base": "antal", "decimals": 0}


def test_jsonstat2_to_rows_fills_sparse_values_and_statuses_with_nulls():
    doc = small(value={"0": 1.5, "3": 2}, status={"1": ".."})
    rows = jsonstat2_to_rows(doc, URL)
    assert [(r["Region"], r["Tid"], r["value"], r["status"]) for r in rows] == [
        ("00", "2020", 1.5, None),
        ("00", "2021", None, ".."),
        ("18", "2020", None, None),
        ("18", "2021", 2.0, None),
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("p", ["p", "p", "p", "p"]),
        (["a", None, "b", None], ["a", None, "b", None]),
        (None, [None, None, None, None]),
    ],
    ids=["one-string-for-all", "list", "absent"],
)
def test_jsonstat2_to_rows_reads_every_status_form(status, expected):
    doc = small() if status is None else small(status=status)
    assert [r["status"] for r in jsonstat2_to_rows(doc, URL)] == expected


def test_jsonstat2_to_rows_accepts_a_single_category_given_by_its_label_only():
    doc = small(
        id=["ContentsCode"],
        size=[1],
        dimension={"ContentsCode": {"category": {"label": {"X1": "x"}}}},
        value=[7],
    )
    assert jsonstat2_to_rows(doc, URL) == [{"ContentsCode": "X1", "value": 7.0, "status": None}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [1.0, 2.0, 3.0]}, "'value' has 3 entries but the sizes multiply to 4"),
        ({"status": ["a"]}, "'status' has 1 entries"),
        ({"value": {"4": 1.0}}, "index 4 is outside 0..3"),
        ({"class": "collection"}, "class 'dataset'"),
        ({"size": [2]}, "'id' has 2 dimensions but 'size' has 1"),
        ({"size": [2, 3]}, "has 2 categories but size says 3"),
        ({"value": [1.0, "x", 3.0, 4.0]}, r"value\[1\] is 'x'"),
    ],
    ids=[
        "value-length",
        "status-length",
        "sparse-index",
        "class",
        "id-size",
        "category-count",
        "non-number",
    ],
)
def test_jsonstat2_to_rows_rejects_a_malformed_dataset_naming_the_url(change, message):
    doc = small(**change)
    with pytest.raises(ResponseFormatError, match=message) as err:
        jsonstat2_to_rows(doc, URL)
    assert err.value.url == URL
    assert URL in str(err.value)


@pytest.mark.parametrize("missing", ["id", "size", "dimension", "value"])
def test_jsonstat2_to_rows_rejects_a_dataset_missing_a_required_field(missing):
    doc = copy.deepcopy(small())
    del doc[missing]
    with pytest.raises(ResponseFormatError, match=repr(missing)):
        jsonstat2_to_rows(doc, URL)
