"""Only what changed is landed: the diff of a fetch against the accepted state."""

from __future__ import annotations

import pandas as pd

from ingest.state import changes

KEY = ["kpi_id", "municipality_id", "year", "gender"]


def row(value, year=2020, deleted=False):
    return {
        "kpi_id": "N1",
        "municipality_id": "0018",
        "year": year,
        "gender": "T",
        "value": value,
        "is_deleted": deleted,
    }


STATE = pd.DataFrame([row(1.0, 2019), row(2.0, 2020), row(None, 2021)])


def test_unchanged_values_are_not_landed_and_are_counted():
    landed, counts = changes([row(1.0, 2019), row(2.0, 2020), row(None, 2021)], STATE, KEY)
    assert landed == []
    assert counts.as_dict() == {
        "fetched_rows": 3,
        "new_rows": 0,
        "changed_rows": 0,
        "deleted_rows": 0,
        "unchanged_rows": 3,
    }


def test_new_changed_and_deleted_values_are_landed():
    fetched = [row(1.5, 2019), row(2.0, 2020, deleted=True), row(7.0, 2022)]
    landed, counts = changes(fetched, STATE, KEY)
    assert landed == fetched
    assert (counts.new, counts.changed, counts.deleted, counts.unchanged) == (1, 1, 1, 0)


def test_everything_is_new_without_state():
    landed, counts = changes([row(1.0)], pd.DataFrame(columns=[*KEY, "value", "is_deleted"]), KEY)
    assert len(landed) == 1 and counts.new == 1


def test_a_deletion_of_a_value_never_held_is_not_landed():
    landed, counts = changes([row(None, 2030, deleted=True)], STATE, KEY)
    assert landed == [] and counts.unchanged == 1
