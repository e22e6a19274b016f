"""Who answers for each asset, and how fresh the assets readers get must be: owners and freshness
policies, applied to every asset of the code location in one place (definitions.py).

Owners are by group: the data team runs the pipeline from the sources to the publication; the
region's analysts answer for the strategy's structure and catalogue (the seeds), the gap method's
tables and the report they sign. Dagster shows them on each asset and filters by them.

Freshness is Dagster's own (1.12+ freshness policies, evaluated by the freshness daemon that runs in
``dagster-daemon`` and ``dagster dev``, shown as asset health in the UI): what BI tools and readers
get (the dbt marts, the published marts, the report) warns 26 h after its last materialization (the
night is late) and fails after 36 h (a night missed, and a margin). The daemon reads
materializations only, so a night whose inputs did not change, which rebuilds nothing, confirms
these assets current with a materialization of their own (defs/assets/dbt.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import dagster as dg

DATA_TEAM = "team:rus-data"
ANALYSTS = "team:rus-analys"
OWNERS_BY_GROUP = {
    "ingest": (DATA_TEAM,),
    "seeds": (ANALYSTS, DATA_TEAM),
    "staging": (DATA_TEAM,),
    "intermediate": (DATA_TEAM,),
    "marts": (DATA_TEAM,),
    "gaps": (ANALYSTS, DATA_TEAM),
    "publish": (DATA_TEAM,),
    "report": (ANALYSTS, DATA_TEAM),
}

LATE_AFTER = timedelta(hours=26)
STALE_AFTER = timedelta(hours=36)
NIGHTLY_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=STALE_AFTER, warn_window=LATE_AFTER)
# What readers get: the dbt marts (their group) and the publication and report built on them.
WATCHED_GROUPS = frozenset({"marts"})
WATCHED_ASSETS = frozenset({"published_marts", "followup_report"})


def owners_of(group: str | None) -> tuple[str, ...]:
    """The owners of an asset group; an unknown group is an error, not an unowned asset."""
    if group not in OWNERS_BY_GROUP:
        raise ValueError(
            f"asset group {group!r} has no owners; expected one of {sorted(OWNERS_BY_GROUP)} "
            "(orchestration/defs/stewardship.py)"
        )
    return OWNERS_BY_GROUP[group]


def is_watched(spec: dg.AssetSpec) -> bool:
    """Whether the asset carries the nightly freshness policy."""
    return spec.group_name in WATCHED_GROUPS or spec.key.to_user_string() in WATCHED_ASSETS


def _stewarded(spec: dg.AssetSpec) -> dg.AssetSpec:
    return spec.replace_attributes(
        owners=[*owners_of(spec.group_name)],
        freshness_policy=NIGHTLY_FRESHNESS if is_watched(spec) else spec.freshness_policy,
    )


def stewarded(assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetsDefinition]:
    """``assets`` with their owners and, where watched, the nightly freshness policy."""
    return [*dg.map_asset_specs(_stewarded, assets)]
