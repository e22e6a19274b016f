"""Freshness of what BI tools and readers get: the published marts and the report are stale when
their last update is more than 36 hours old (one missed night and a margin). The checks warn; a
sensor evaluates them (running by default in prod, like the schedule), outside the nightly job.
The PostgreSQL copy is written right after the published marts, from the same publication."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

STALE_AFTER = timedelta(hours=36)
PUBLISHED_ASSETS = ("published_marts", "followup_report")

published_freshness_checks = dg.build_last_update_freshness_checks(
    assets=[dg.AssetKey(a) for a in PUBLISHED_ASSETS], lower_bound_delta=STALE_AFTER
)


def freshness_sensor(env: str) -> dg.SensorDefinition:
    return dg.build_sensor_for_freshness_checks(
        freshness_checks=published_freshness_checks,
        name="rus_freshness_checks",
        default_status=dg.DefaultSensorStatus.RUNNING
        if env == "prod"
        else dg.DefaultSensorStatus.STOPPED,
    )
