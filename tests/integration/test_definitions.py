"""The code location's contract: asset keys, groups, blocking checks, job and schedule."""

from __future__ import annotations

import inspect
import re

import pytest

from orchestration.defs import contract

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def defs():
    from orchestration.defs.project import rus_dbt_project

    rus_dbt_project.preparer.prepare(rus_dbt_project)  # dbt parse → manifest.json
    from orchestration.definitions import defs

    return defs


def test_every_layer_is_an_asset_group(defs):
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw_kolada_values"] == "ingest"
    assert groups["raw_kolada_loads"] == "ingest"
    assert groups["raw_scb_values"] == "ingest"
    assert groups["stg_scb__values"] == "staging"
    assert groups["stg_kolada__values"] == "staging"
    assert groups["int_indicator_values__accepted"] == "intermediate"
    for mart in ("dim_geography", "dim_indicator", "fct_indicator_value", "mart_area_indicators"):
        assert groups[mart] == "marts"
    assert groups["indicators"] == "seeds"
    assert groups["gap_indicator_annual"] == "gaps"
    assert groups["published_marts"] == "publish"


@pytest.mark.parametrize("source", ["kolada", "scb"])
def test_every_raw_load_has_a_blocking_great_expectations_check(defs, source):
    graph = defs.resolve_asset_graph()
    checks = {k.name: k for k in graph.asset_check_keys}
    spec = graph.get_check_spec(checks[f"raw_{source}_values__gx"])
    assert spec.blocking is True
    assert spec.asset_key.to_user_string() == f"raw_{source}_values"


def test_publishing_depends_on_every_published_table(defs):
    graph = defs.resolve_asset_graph()
    published = graph.get(__import__("dagster").AssetKey("published_marts"))
    parents = {k.to_user_string() for k in published.parent_keys}
    assert {
        "dim_strategy",
        "fct_indicator_value",
        "mart_area_indicators",
        "dim_geography",
        "gap_indicator_annual",
    } <= parents


def test_the_gap_method_reads_the_peers_of_the_region_under_follow_up(defs):
    import dagster as dg

    from ingest.catalogue import default_region
    from orchestration.defs.resources import PipelinePaths

    graph = defs.resolve_asset_graph()
    parents = {
        k.to_user_string() for k in graph.get(dg.AssetKey("gap_indicator_annual")).parent_keys
    }
    assert "rus_region_peers" in parents
    assert graph.get(dg.AssetKey("rus_strategy")).group_name == "seeds"
    assert PipelinePaths(data_dir="data").region_code == default_region()


def test_the_nightly_schedule_runs_at_two_in_stockholm(defs):
    schedule = next(s for s in defs.schedules if s.name == "rus_nightly_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Stockholm"
    assert schedule.job_name == "rus_nightly"


@pytest.mark.parametrize(
    ("check", "asset"),
    [
        ("fct_indicator_value__gx", "fct_indicator_value"),
        ("mart_area_indicators__gx", "mart_area_indicators"),
        ("gap_indicator_annual__gx", "gap_indicator_annual"),
    ],
)
def test_the_published_tables_have_blocking_checks_upstream_of_publishing(defs, check, asset):
    graph = defs.resolve_asset_graph()
    checks = {k.name: k for k in graph.asset_check_keys}
    spec = graph.get_check_spec(checks[check])
    assert spec.blocking is True and spec.asset_key.to_user_string() == asset


def test_the_code_location_matches_its_committed_contract(defs):
    # Every asset key, group, dependency, check, job and schedule; an intended change is
    # `python -m orchestration.defs.contract --write` and a reviewed diff of code_location.json.
    assert contract.LISTING.read_text(encoding="utf-8") == contract.render(defs)


_READ = re.compile(r"(?<!table )\b(marts|seeds|gaps)\.(\w+)")


def _tables_read(fn) -> set[str]:
    """Tables a Python asset's code names, in its body or in module-level SQL it uses."""
    source = inspect.getsource(fn)
    module = inspect.getmodule(fn)
    source += "".join(
        v for v in (getattr(module, n, None) for n in fn.__code__.co_names) if isinstance(v, str)
    )
    return {table for _, table in _READ.findall(source)}


@pytest.mark.parametrize(
    "name",
    [
        "gap_indicator_annual",
        "gap_area_annual",
        "gap_focus_effort_annual",
        "gap_goal_annual",
        "gap_statements",
    ],
)
def test_every_table_a_gap_asset_reads_is_a_declared_dependency(defs, name):
    import dagster as dg

    key = dg.AssetKey(name)
    declared = {k.to_user_string() for k in defs.resolve_asset_graph().get(key).parent_keys}
    asset = defs.resolve_assets_def(key)
    read = _tables_read(asset.op.compute_fn.decorated_fn) - {name}
    assert read and read <= declared, (name, read - declared)
