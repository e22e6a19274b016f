"""When a Kolada load may ask only for what changed (``from_date``) and when it fetches in full."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from ingest.kolada.load import FULL_FETCH_EVERY, incremental_basis
from ingest.landing import RawLanding

REQUEST = {"kpis": ["N1", "N2"], "municipalities": ["0018"], "years": [2020, 2021]}
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def land(landing, load_id, started, mode="full", snapshot="v1", **request):
    manifest = {
        "mode": mode,
        "started_at": started,
        "replay_snapshot": snapshot,
        "request": REQUEST | request,
    }
    landing.land(load_id, {"values": pa.table({"x": pa.array([], pa.int64())})}, manifest)
    landing.record_validation(load_id, {"success": True})


def basis(landing, kpis=("N1",)):
    return incremental_basis(landing, list(kpis), ["0018"], [2020], now=NOW)


def test_after_a_recent_full_fetch_only_changes_since_the_day_before_are_asked(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    land(landing, "20261129T030000Z-a", "2026-11-29T03:00:00Z")
    land(landing, "20261130T030000Z-b", "2026-11-30T03:00:00Z", mode="incremental", snapshot="v2")
    found = basis(landing)
    assert found is not None
    assert (found.from_date, found.replay_snapshot) == ("2026-11-29", "v2")


def test_a_full_fetch_comes_round_every_week_and_for_a_new_kpi(tmp_path):
    landing = RawLanding(tmp_path, "kolada")
    assert basis(landing) is None  # nothing held yet
    week_ago = NOW - FULL_FETCH_EVERY
    land(landing, "20261124T030000Z-a", week_ago.isoformat().replace("+00:00", "Z"))
    land(landing, "20261130T030000Z-b", "2026-11-30T03:00:00Z", mode="incremental")
    assert basis(landing) is None  # the last full fetch is a week old: reconcile
    land(landing, "20261130T040000Z-c", "2026-11-30T04:00:00Z")
    assert basis(landing) is not None
    assert basis(landing, kpis=("N1", "N3")) is None  # N3 was never asked for
