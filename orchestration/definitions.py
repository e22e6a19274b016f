"""The Dagster code location. Wiring only."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets.dbt import rus_dbt_models
from orchestration.defs.assets.gaps import gap_indicator_annual, gap_rollups, gap_statements
from orchestration.defs.assets.ingest import raw_kolada, raw_scb
from orchestration.defs.assets.publish import published_marts, published_postgres
from orchestration.defs.assets.report import followup_report
from orchestration.defs.checks.marts import (
    fct_indicator_value__gx,
    gap_indicator_annual__gx,
    gap_statements__gx,
    mart_area_indicators__gx,
    rollup_checks,
)
from orchestration.defs.checks.raw import raw_kolada_values__gx, raw_scb_values__gx
from orchestration.defs.jobs import rus_nightly_job
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import nightly_schedule
from orchestration.defs.sensors import run_failure_alert
from orchestration.defs.stewardship import stewarded
from orchestration.runtime.settings import current_settings

_settings = current_settings()  # read once per process; importing this writes nothing

defs = dg.Definitions(
    assets=stewarded(
        [
            raw_kolada,
            raw_scb,
            rus_dbt_models,
            gap_indicator_annual,
            *gap_rollups,
            gap_statements,
            published_marts,
            published_postgres,
            followup_report,
        ]
    ),
    asset_checks=[
        raw_kolada_values__gx,
        raw_scb_values__gx,
        fct_indicator_value__gx,
        mart_area_indicators__gx,
        gap_indicator_annual__gx,
        *rollup_checks,
        gap_statements__gx,
    ],
    jobs=[rus_nightly_job],
    schedules=[nightly_schedule(_settings.env, _settings.nightly_cron)],
    sensors=[run_failure_alert(_settings)],
    resources=build_resources(_settings),
)
