"""The live check's shape comparisons: an answer as recorded passes; each difference names the
field, what was expected and what was found."""

from __future__ import annotations

import copy

import pytest

from ingest import live_check_shapes as shapes

# The live v3 data envelope as recorded (../shared/realdata/FORMATS.md), for the KPI asked.
KOLADA_DATA = {
    "values": [
        {
            "values": [
                {"gender": "K", "count": 1, "status": "", "value": 82526.0, "isdeleted": False},
                {"gender": "T", "count": 1, "status": "", "value": None, "isdeleted": True},
            ],
            "kpi": "N01951",
            "period": 2024,
            "municipality": "0580",
        }
    ],
    "next_url": None,
    "previous_url": None,
    "count": 1,
}
ASKED = (["N01951"], ["0580"], [2023, 2024])


def data(**changes):
    doc = copy.deepcopy(KOLADA_DATA)
    doc["values"][0].update(changes)
    return doc


def test_the_recorded_kolada_data_envelope_has_the_expected_shape():
    assert shapes.kolada_data(KOLADA_DATA, *ASKED) == []


def test_a_renamed_data_field_is_named_with_what_was_found():
    doc = data()
    doc["values"][0]["municipality_id"] = doc["values"][0].pop("municipality")
    (diff,) = shapes.kolada_data(doc, *ASKED)
    assert diff.startswith("values[0].municipality: expected a string, found no such field")
    assert "municipality_id" in diff


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("gender", "F", "values[0].values[0].gender: expected one of 'T', 'K', 'M', found \"F\""),
        ("value", "82526", 'values[0].values[0].value: expected a number or null, found "82526"'),
        ("isdeleted", "no", "values[0].values[0].isdeleted: expected a boolean (or 0/1)"),
        ("status", 3, "values[0].values[0].status: expected a string or null, found 3"),
    ],
)
def test_a_value_entry_of_another_kind_is_named(field, value, expected):
    doc = data()
    doc["values"][0]["values"][0][field] = value
    (diff,) = shapes.kolada_data(doc, *ASKED)
    assert diff.startswith(expected)


def test_the_deleted_flag_and_the_envelope_fields_are_required():
    doc = data()
    del doc["values"][0]["values"][1]["isdeleted"]
    del doc["next_url"]
    diffs = shapes.kolada_data(doc, *ASKED)
    assert diffs[0].startswith("next_url: expected a string or null, found no such field")
    assert diffs[1].startswith("values[0].values[1].isdeleted: expected a boolean (or 0/1)")


def test_a_value_outside_what_was_asked_and_an_empty_answer_are_differences():
    (diff,) = shapes.kolada_data(data(municipality="0180"), *ASKED)
    assert diff == 'values[0].municipality: expected one of those asked for (0580), found "0180"'
    empty = {**KOLADA_DATA, "values": [], "count": 0}
    (diff,) = shapes.kolada_data(empty, *ASKED)
    assert "found an empty list (nothing to compare)" in diff


def test_the_same_missing_field_in_every_object_is_said_once():
    doc = data()
    doc["values"].append(copy.deepcopy(doc["values"][0]))
    for item in doc["values"]:
        del item["kpi"]
    assert len(shapes.kolada_data(doc, *ASKED)) == 1


def test_kolada_v2s_deprecation_answer_says_where_to_point():
    diffs = shapes.kolada_envelope(
        {"error": "This endpoint is deprecated. Please use /v3 instead."}
    )
    assert diffs[0] == "values: expected a list, found no such field (fields: error)"
    assert diffs[-1] == "Kolada v2 is retired; KOLADA_BASE_URL must point at …/v3"


def test_kpis_need_the_fields_the_load_reads_and_every_id_asked():
    kpi = {
        "id": "N00999",
        "title": "Nystartade företag",
        "publ_period": "2024",
        "publication_date": "2026-03-01",
        "prel_publication_date": None,
    }
    doc = {"values": [kpi], "count": 1, "next_url": None, "previous_url": None}
    assert shapes.kolada_kpis(doc, ["N00999"]) == []
    del kpi["publ_period"]
    assert shapes.kolada_kpis(doc, ["N00999", "N00926"]) == [
        "values[0].publ_period: expected a string, number or null, found no such field "
        "(fields: id, prel_publication_date, publication_date, title)",
        "values: expected KPI 'N00926', found no object with that id",
    ]


def test_municipalities_are_there_with_their_type():
    doc = {
        "values": [{"id": "0000", "title": "Riket", "type": "K"}],
        "count": 1,
        "next_url": None,
        "previous_url": None,
    }
    assert shapes.kolada_municipalities(doc, {"0000": "L", "1880": "K"}) == [
        "values[id=0000].type: expected 'L', found \"K\"",
        "values: expected municipality '1880', found no object with that id",
    ]


def test_the_scb_table_listing_shape():
    table = {
        "id": "TAB6471",
        "label": "Folkmängden per månad",
        "updated": "2026-05-12T06:00:00Z",
        "firstPeriod": "2025M01",
        "lastPeriod": "2026M04",
        "variableNames": ["region", "ålder"],
    }
    page = {"pageNumber": 1, "pageSize": 5, "totalElements": 1, "totalPages": 1}
    assert shapes.scb_table_list({"tables": [table], "page": page}) == []
    del table["variableNames"]
    (diff,) = shapes.scb_table_list({"tables": [table], "page": page})
    assert diff.startswith("tables[0].variableNames: expected a list, found no such field")
    assert (
        "tables: expected at least one table"
        in shapes.scb_table_list({"tables": [], "page": page})[0]
    )


def test_v1_metadata_needs_region_and_time_with_a_text_per_value():
    var = {"code": "Region", "text": "region", "values": ["00", "18"], "valueTexts": ["Riket"]}
    diffs = shapes.scb_v1_metadata({"title": "t", "variables": [var]})
    assert diffs == [
        "variables[0].valueTexts: expected 2 texts (one per value), found 1",
        "variables: expected a variable with code 'Tid', found codes [\"Region\"]",
    ]


def dataset(**changes):
    doc = {
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [1, 2],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {"18": 0}}},
            "Tid": {"label": "år", "category": {"index": ["2021", "2022"]}},
        },
        "value": [4.5, None],
    }
    doc.update(changes)
    return doc


def test_a_jsonstat_answer_matches_the_request():
    requested = {"Region": ["18"], "Tid": ["2022", "2021"]}
    assert shapes.jsonstat_dataset(dataset(), requested) == []
    assert shapes.jsonstat_dataset(dataset(), None) == []  # as metadata: Region and Tid there


@pytest.mark.parametrize(
    ("doc", "requested", "expected"),
    [
        (dataset(value=[4.5]), None, None),
        (
            dataset(value=[4.5]),
            {"Region": ["18"], "Tid": ["2021", "2022"]},
            "value: expected 2 cells",
        ),
        (
            dataset(value=[4.5, "x"]),
            {"Region": ["18"], "Tid": ["2021", "2022"]},
            "value[1]: expected",
        ),
        (
            dataset(),
            {"Region": ["18"], "Tid": ["2021"]},
            "dimension['Tid'].category.index: expected",
        ),
        (
            dataset(),
            {"Region": ["18"], "Tid": ["2021", "2022"], "Kon": ["1"]},
            "id: expected dimension 'Kon'",
        ),
        (dataset(size=[1, 3]), None, "dimension['Tid'].category.index: expected 3 categories"),
        (
            {k: v for k, v in dataset().items() if k != "dimension"},
            None,
            "dimension: expected an object, found no such field",
        ),
        (
            dataset(**{"class": "collection"}),
            None,
            "class: expected 'dataset', found \"collection\"",
        ),
    ],
)
def test_a_jsonstat_difference_is_named(doc, requested, expected):
    diffs = shapes.jsonstat_dataset(doc, requested)
    if expected is None:
        assert diffs == []  # metadata has no values to count
    else:
        assert diffs and diffs[0].startswith(expected), diffs


def test_annual_cells_are_what_the_loader_turns_into_rows():
    good = [{"Region": "18", "Tid": "2022", "value": 5.0, "status": None}]
    assert shapes.scb_annual_cells(good, "1+2") == []
    bad = [{"Region": "Örebro", "Tid": "2022M01", "Kon": "3", "value": 5.0}]
    assert [d.split(":")[0] for d in shapes.scb_annual_cells(bad, None)] == [
        "cell[0].Region",
        "cell[0].Tid",
        "cell[0].Kon",
    ]


def test_compare_fields_on_something_that_is_no_object():
    assert shapes.compare_fields([1], {"id": shapes.STRING}) == [
        "the answer: expected an object, found [1]"
    ]
