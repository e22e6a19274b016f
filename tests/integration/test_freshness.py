"""Published assets are stale 36 h after their last update; the freshness checks say so."""

from __future__ import annotations

import time

import dagster as dg
import pytest

from orchestration.defs.checks.freshness import (
    PUBLISHED_ASSETS,
    STALE_AFTER,
    freshness_sensor,
    published_freshness_checks,
)

pytestmark = pytest.mark.integration


def evaluate(instance) -> dict[str, bool]:
    result = dg.materialize(
        [*published_freshness_checks, *(dg.AssetSpec(a) for a in PUBLISHED_ASSETS)],
        instance=instance,
        selection=dg.AssetSelection.checks(*published_freshness_checks),
    )
    return {e.asset_key.to_user_string(): e.passed for e in result.get_asset_check_evaluations()}


def test_published_assets_are_stale_until_updated_and_fresh_after(monkeypatch):
    assert STALE_AFTER.total_seconds() == 36 * 3600
    with dg.instance_for_test() as instance:
        assert evaluate(instance) == dict.fromkeys(PUBLISHED_ASSETS, False)  # never published
        for asset in PUBLISHED_ASSETS:
            instance.report_runless_asset_event(dg.AssetMaterialization(asset))
        assert evaluate(instance) == dict.fromkeys(PUBLISHED_ASSETS, True)
        # 37 hours later, without a new publication: stale again.
        later = time.time() + 37 * 3600
        monkeypatch.setattr(time, "time", lambda: later)
        assert evaluate(instance) == dict.fromkeys(PUBLISHED_ASSETS, False)


def test_the_freshness_sensor_runs_by_default_in_prod_only():
    assert freshness_sensor("prod").default_status == dg.DefaultSensorStatus.RUNNING
    assert freshness_sensor("dev").default_status == dg.DefaultSensorStatus.STOPPED
