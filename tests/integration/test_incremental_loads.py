"""Incremental loads against the replay server: only changed values are landed."""

from __future__ import annotations

import dagster as dg
import pytest

from ingest.catalogue import follow_up_scope, read_geographies
from ingest.kolada.load import run_load
from ingest.landing import RawLanding

pytestmark = pytest.mark.integration

KPIS = ["N15428", "N85085"]
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2010, 2026))


def accept(raw_root, load_id):
    """What the blocking check records when a load passes."""
    RawLanding(raw_root, "kolada").record_validation(load_id, {"success": True, "suite": "test"})


def test_an_incremental_run_lands_only_the_revised_and_deleted_values(
    replay, kolada_config, fast_http, tmp_path
):
    first = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    assert first.mode == "full" and first.rows > 1000
    accept(tmp_path, first.load_id)

    unchanged = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    assert unchanged.mode == "incremental" and unchanged.from_date is not None
    assert unchanged.rows == 0 and unchanged.changes["fetched_rows"] == 0
    accept(tmp_path, unchanged.load_id)

    replay.configure(
        [
            {
                "kind": "revise",
                "kpi": "N15428",
                "municipality": "0018",
                "year": 2020,
                "gender": "K",
                "value": 77.7,
            },
            {
                "kind": "revise",
                "kpi": "N85085",
                "municipality": "0018",
                "year": 2019,
                "value": None,
            },
        ]
    )
    revised = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    assert revised.changes == {
        "fetched_rows": 2,
        "new_rows": 0,
        "changed_rows": 1,
        "deleted_rows": 1,
        "unchanged_rows": 0,
    }
    values = RawLanding(tmp_path, "kolada").read(revised.load_id, "values").to_pandas()
    landed = {(r.kpi_id, r.year, r.gender): (r.value, r.is_deleted) for r in values.itertuples()}
    assert landed[("N15428", 2020, "K")] == (77.7, False)
    deleted_value, deleted_flag = landed[("N85085", 2019, "T")]
    assert deleted_flag is True and deleted_value != deleted_value  # NaN: null in Parquet


def test_a_full_fetch_that_no_longer_has_a_held_value_lands_its_withdrawal(
    replay, kolada_config, fast_http, tmp_path
):
    first = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    accept(tmp_path, first.load_id)
    replay.configure(
        [{"kind": "revise", "kpi": "N85085", "municipality": "0018", "year": 2019, "value": None}]
    )
    full = run_load(
        KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http, incremental=False
    )
    assert full.mode == "full"
    assert (full.rows, full.changes["deleted_rows"], full.changes["new_rows"]) == (1, 1, 0)
    [gone] = RawLanding(tmp_path, "kolada").read(full.load_id, "values").to_pylist()
    assert (gone["kpi_id"], gone["municipality_id"], gone["year"], gone["gender"]) == (
        "N85085",
        "0018",
        2019,
        "T",
    )
    assert gone["is_deleted"] is True and gone["value"] is None
    assert gone["provenance"].startswith("withdrawn")


def test_a_new_kpi_in_the_catalogue_is_fetched_in_full(replay, kolada_config, fast_http, tmp_path):
    first = run_load(KPIS[:1], GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    accept(tmp_path, first.load_id)
    widened = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    assert widened.mode == "full"
    assert widened.changes["new_rows"] > 0 and widened.changes["unchanged_rows"] == first.rows


def test_a_second_unchanged_run_says_so_in_the_asset_metadata(replay, tmp_path):
    from dagster_duckdb import DuckDBResource

    from orchestration.defs.assets.ingest import raw_kolada
    from orchestration.defs.checks.raw import raw_kolada_values__gx
    from orchestration.defs.resources import KoladaResource, PipelinePaths, RunLockResource

    resources = {
        "kolada": KoladaResource(base_url=f"{replay.url}/v3", calls_per_second=1000),
        "paths": PipelinePaths(data_dir=str(tmp_path / "data")),
        "warehouse": DuckDBResource(database=str(tmp_path / "data" / "warehouse.duckdb")),
        "run_lock": RunLockResource(data_dir=str(tmp_path / "data")),
    }
    with dg.instance_for_test() as instance:
        for _ in range(2):
            result = dg.materialize(
                [raw_kolada, raw_kolada_values__gx], resources=resources, instance=instance
            )
            assert result.success
        event = instance.get_latest_materialization_event(dg.AssetKey("raw_kolada_values"))
    metadata = {k: v.value for k, v in event.asset_materialization.metadata.items()}
    assert metadata["mode"] == "incremental"
    assert metadata["rows"] == 0 and metadata["new_rows"] == 0 and metadata["changed_rows"] == 0


def test_a_replay_server_serving_another_snapshot_is_fetched_in_full(
    replay, kolada_config, fast_http, tmp_path, monkeypatch
):
    from ingest.kolada import load

    first = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    accept(tmp_path, first.load_id)
    real_basis = load.incremental_basis

    def basis_from_an_older_snapshot(*args, **kwargs):
        found = real_basis(*args, **kwargs)
        assert found is not None and found.replay_snapshot == replay.data.version
        return load.IncrementalBasis(found.from_date, replay_snapshot="an-older-snapshot")

    monkeypatch.setattr(load, "incremental_basis", basis_from_an_older_snapshot)
    second = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=kolada_config, http=fast_http)
    assert second.mode == "full" and second.from_date is None
    assert second.changes["fetched_rows"] == first.rows and second.rows == 0
