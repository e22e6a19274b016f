"""The Dagster code location. Wiring only."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import rus_dbt_models
from orchestration.assets.gaps import gap_indicator_annual, gap_rollups, gap_statements
from orchestration.assets.ingest import raw_kolada, raw_scb
from orchestration.assets.publish import published_marts, published_postgres
from orchestration.assets.report import followup_report
from orchestration.checks.freshness import freshness_sensor, published_freshness_checks
from orchestration.checks.marts import (
    fct_indicator_value__gx,
    gap_indicator_annual__gx,
    gap_statements__gx,
    mart_area_indicators__gx,
    rollup_checks,
)
from orchestration.checks.raw import raw_kolada_values__gx, raw_scb_values__gx
from orchestration.env import settings
from orchestration.jobs import rus_nightly_job
from orchestration.resources import build_resources
from orchestration.schedules import nightly_schedule
from orchestration.sensors import run_failure_alert

_settings = settings()

defs = dg.Definitions(
    assets=[
        raw_kolada,
        raw_scb,
        rus_dbt_models,
        gap_indicator_annual,
        *gap_rollups,
        gap_statements,
        published_marts,
        published_postgres,
        followup_report,
    ],
    asset_checks=[
        raw_kolada_values__gx,
        raw_scb_values__gx,
        fct_indicator_value__gx,
        mart_area_indicators__gx,
        gap_indicator_annual__gx,
        *rollup_checks,
        gap_statements__gx,
        *published_freshness_checks,
    ],
    jobs=[rus_nightly_job],
    schedules=[nightly_schedule(_settings.env, _settings.nightly_cron)],
    sensors=[run_failure_alert(_settings), freshness_sensor(_settings.env)],
    resources=build_resources(_settings),
)
