from __future__ import annotations

import pyarrow as pa
import pytest

from ingest.landing import RawLanding


def table() -> pa.Table:
    return pa.table({"x": [1, 2, 3]})


def test_a_landed_load_appears_complete_with_its_manifest(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    path = landing.land("L1", {"values": table()}, {"row_count": 3})
    assert path == tmp_path / "kolada" / "L1"
    assert landing.loads() == ["L1"]
    assert landing.manifest("L1")["tables"] == {"values": 3}
    assert landing.read("L1", "values").num_rows == 3
    assert not any((tmp_path / "_incomplete" / "kolada").iterdir())


def test_landing_never_overwrites_an_existing_load(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    landing.land("L1", {"values": table()}, {})
    with pytest.raises(FileExistsError, match="append-only"):
        landing.land("L1", {"values": table()}, {})


def test_an_interrupted_load_is_invisible_and_cleaned_by_the_next(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    stale = tmp_path / "_incomplete" / "kolada" / "L0"
    stale.mkdir(parents=True)
    (stale / "values.parquet").write_bytes(b"partial")
    assert landing.loads() == []
    assert landing.clean_incomplete() == ["L0"]
    assert not stale.exists()


def test_accepted_loads_skip_loads_that_failed_or_were_not_validated(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    for load_id in ("L1", "L2", "L3"):
        landing.land(load_id, {"values": table()}, {})
    landing.record_validation("L1", {"success": True})
    landing.record_validation("L2", {"success": False})
    assert landing.accepted_loads() == ["L1"]
