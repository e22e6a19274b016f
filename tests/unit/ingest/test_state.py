"""Only what changed is landed: the diff of a fetch against the accepted state."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from ingest.landing import RawLanding
from ingest.state import FetchRecord, changes, previous_full_fetch, withdrawn

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


def test_a_synthetic_figure_replaced_by_the_same_real_one_is_a_change():
    state = pd.DataFrame([{**row(28.0), "is_synthetic": True}])
    real = {**row(28.0), "is_synthetic": False}
    landed, counts = changes([real], state, KEY)
    assert landed == [real] and counts.changed == 1
    assert changes([{**real, "is_synthetic": True}], state, KEY)[0] == []


def test_everything_is_new_without_state():
    landed, counts = changes([row(1.0)], pd.DataFrame(columns=[*KEY, "value", "is_deleted"]), KEY)
    assert len(landed) == 1 and counts.new == 1


def test_a_deletion_of_a_value_never_held_is_not_landed():
    landed, counts = changes([row(None, 2030, deleted=True)], STATE, KEY)
    assert landed == [] and counts.unchanged == 1


COLUMNS = ["load_id", *KEY, "value", "count", "status", "is_deleted", "is_synthetic"]
SCOPE = {"kpi_id": frozenset({"N1"}), "municipality_id": frozenset({"0018"})}


def test_a_held_value_a_full_fetch_no_longer_returns_is_withdrawn():
    gone = withdrawn(
        [row(1.0, 2019)], STATE, KEY, SCOPE | {"year": frozenset({"2019", "2020"})}, COLUMNS
    )
    assert gone == [{**row(None, 2020), "is_deleted": True}]


def test_values_outside_the_request_and_values_already_deleted_are_not_withdrawn():
    state = pd.DataFrame(
        [row(1.0, 2019), row(2.0, 2020, deleted=True), {**row(3.0), "kpi_id": "N9"}]
    )
    assert withdrawn([], state, KEY, SCOPE | {"year": frozenset({"2019"})}, COLUMNS) == [
        {**row(None, 2019), "is_deleted": True}
    ]
    assert withdrawn([], state.iloc[:0], KEY, SCOPE, COLUMNS) == []


def _land(landing, load_id, mode="full", fetched=1000, accepted=True, **request):
    request = {"kpis": ["N1", "N2"], "municipalities": ["0018"], "years": [2020, 2021]} | request
    manifest = {"mode": mode, "request": request, "changes": {"fetched_rows": fetched}}
    if fetched is None:
        del manifest["changes"]
    landing.land(load_id, {"values": pa.table({"x": pa.array([], pa.int64())})}, manifest)
    if accepted is not None:
        landing.record_validation(load_id, {"success": accepted})


def test_a_full_fetch_is_compared_with_the_newest_accepted_full_fetch_of_its_request(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    _land(landing, "L1", fetched=900)
    _land(landing, "L2", fetched=1000)
    _land(landing, "L3", mode="incremental", fetched=0, from_date="2026-11-20")
    _land(landing, "L4", fetched=5, accepted=False)  # rejected: never a baseline
    _land(landing, "L5", fetched=80, accepted=None)

    previous = previous_full_fetch(landing, "L5")
    assert (previous.load_id, previous.fetched_rows) == ("L2", 1000)
    assert previous.scope == FetchRecord.from_manifest(landing.manifest("L5")).scope


def test_the_first_full_fetch_has_nothing_to_compare_with(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    _land(landing, "L1", accepted=None)
    assert previous_full_fetch(landing, "L1") is None


def test_a_widened_request_is_compared_with_the_narrower_one_a_different_one_is_not(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    _land(landing, "L1")
    _land(landing, "L2", accepted=None, kpis=["N1", "N2", "N3"])
    _land(landing, "L3", accepted=None, kpis=["N3"])
    widened = previous_full_fetch(landing, "L2")
    assert widened.load_id == "L1"
    assert widened.scope != FetchRecord.from_manifest(landing.manifest("L2")).scope
    assert previous_full_fetch(landing, "L3") is None


def test_how_a_fetch_was_split_or_dated_is_not_part_of_its_request(tmp_path):
    landing = RawLanding(tmp_path, "scb")
    _land(landing, "L1", max_cells=100_000)
    _land(landing, "L2", accepted=None, max_cells=50_000, from_date=None)
    assert previous_full_fetch(landing, "L2").load_id == "L1"


def test_loads_without_a_recorded_fetch_count_and_later_loads_are_not_baselines(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    _land(landing, "L1", fetched=None)
    _land(landing, "L2", accepted=None)
    _land(landing, "L3")
    assert previous_full_fetch(landing, "L2") is None
    record = FetchRecord.from_manifest(landing.manifest("L1"))
    assert record.fetched_rows is None and record.mode == "full"
