"""The nightly schedule: 02:00 Europe/Stockholm. Running by default in prod, stopped in dev."""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import rus_nightly_job


def nightly_schedule(env: str) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="rus_nightly_schedule",
        job=rus_nightly_job,
        cron_schedule="0 2 * * *",
        execution_timezone="Europe/Stockholm",
        default_status=dg.DefaultScheduleStatus.RUNNING
        if env == "prod"
        else dg.DefaultScheduleStatus.STOPPED,
        description="Full refresh every night at 02:00 Stockholm time.",
    )
