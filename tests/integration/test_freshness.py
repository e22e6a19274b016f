"""Freshness as Dagster judges it: the nightly policy on what readers get, evaluated by Dagster's
own evaluator (the one its freshness daemon runs), and kept fresh by a quiet night's
confirmation."""

from __future__ import annotations

import asyncio
import time

import dagster as dg
import dagster._core.definitions.freshness_evaluator as evaluator
import pytest
from dagster._core.definitions.freshness import FreshnessState
from dagster._core.loader import LoadingContextForTest

from orchestration.defs.stewardship import LATE_AFTER, STALE_AFTER, WATCHED_ASSETS
from orchestration.runtime.change_gate import CONFIRMED_CURRENT

pytestmark = pytest.mark.integration

HOUR = 3600


@pytest.fixture
def defs() -> dg.Definitions:
    """The code location (imported once the dbt manifest is prepared: conftest.py)."""
    from orchestration.definitions import defs

    return defs


def freshness(instance: dg.DagsterInstance, key: str, at: float, monkeypatch) -> FreshnessState:
    """The freshness state Dagster's daemon would record for ``key`` at time ``at``."""
    from orchestration.definitions import defs

    node = defs.resolve_asset_graph().get(dg.AssetKey(key))
    monkeypatch.setattr(evaluator, "get_current_timestamp", lambda: at)
    judge = evaluator.FRESHNESS_EVALUATORS_BY_POLICY_TYPE[type(node.freshness_policy)]()
    return asyncio.run(judge.evaluate_freshness(LoadingContextForTest(instance), node))


def test_what_readers_get_and_nothing_else_carries_the_nightly_policy(defs):
    graph = defs.resolve_asset_graph()
    watched = {
        k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).freshness_policy
    }
    dbt_marts = {
        k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).group_name == "marts"
    }
    assert {"fct_indicator_value", "mart_area_indicators", "dim_indicator"} <= dbt_marts
    assert watched == dbt_marts | WATCHED_ASSETS
    assert (LATE_AFTER.total_seconds(), STALE_AFTER.total_seconds()) == (26 * HOUR, 36 * HOUR)


def test_fresh_after_a_night_late_after_26_h_failed_after_36_h_and_a_confirmation_renews_it(
    monkeypatch,
):
    published = "published_marts"
    with dg.instance_for_test() as instance:
        now = time.time()
        assert freshness(instance, published, now, monkeypatch) == FreshnessState.UNKNOWN
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                published,
                metadata={"publication_id": "p1", "rows.dim_goal": 3},
                tags={"dagster/data_version": "p1"},
            )
        )
        built = instance.get_latest_materialization_event(dg.AssetKey(published)).timestamp
        assert freshness(instance, published, built + HOUR, monkeypatch) == FreshnessState.PASS
        assert freshness(instance, published, built + 27 * HOUR, monkeypatch) == FreshnessState.WARN
        assert freshness(instance, published, built + 37 * HOUR, monkeypatch) == FreshnessState.FAIL

        # A quiet night: nothing rebuilt, the asset confirmed current with its last metadata.
        from orchestration.defs.assets.dbt import confirmations

        keys = [dg.AssetKey(published), dg.AssetKey("followup_report")]  # the report: never built
        (confirmation,) = confirmations(instance, keys, "inputs unchanged since publication p1")
        instance.report_runless_asset_event(confirmation)
        latest = instance.get_latest_materialization_event(dg.AssetKey(published))
        meta = latest.asset_materialization.metadata
        assert meta["publication_id"].value == "p1" and meta["rows.dim_goal"].value == 3
        assert meta[CONFIRMED_CURRENT].value == "inputs unchanged since publication p1"
        assert latest.asset_materialization.tags["dagster/data_version"] == "p1"
        renewed = latest.timestamp
        assert freshness(instance, published, renewed + HOUR, monkeypatch) == FreshnessState.PASS
