"""The nightly schedule: 02:00 Europe/Stockholm (RUS_NIGHTLY_CRON). Running by default in prod,
stopped in dev."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.jobs import rus_nightly_job


def nightly_schedule(env: str, cron: str = "0 2 * * *") -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="rus_nightly_schedule",
        job=rus_nightly_job,
        cron_schedule=cron,
        execution_timezone="Europe/Stockholm",
        default_status=dg.DefaultScheduleStatus.RUNNING
        if env == "prod"
        else dg.DefaultScheduleStatus.STOPPED,
        description=f"The whole pipeline every night ({cron}, Stockholm time).",
    )
