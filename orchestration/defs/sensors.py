"""The run-failure sensor: every failed run of this code location is recorded and, when
RUS_ALERT_WEBHOOK_URL is set, posted to that webhook. Thin: the work is in alerts.py."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from orchestration.runtime.alerts import RunFailure, post_alert, record_failure
from orchestration.runtime.settings import Settings


def _cause(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data if event.is_step_failure else None
    error = data.error if data is not None else None
    if error is None:
        return (event.message or "unknown").strip().splitlines()[0]
    root = error.cause or error
    return root.message.strip().splitlines()[0] if root.message else "unknown error"


def failure_of(context: dg.RunFailureSensorContext) -> RunFailure:
    steps = context.get_step_failure_events()
    cause = _cause(steps[0]) if steps else _cause(context.failure_event)
    stats = context.instance.get_run_stats(context.dagster_run.run_id)
    failed = stats.end_time or datetime.now(UTC).timestamp()
    return RunFailure(
        run_id=context.dagster_run.run_id,
        job_name=context.dagster_run.job_name,
        failed_at=datetime.fromtimestamp(failed, UTC).isoformat(timespec="seconds"),
        failed_steps=tuple(e.step_key for e in steps if e.step_key),
        cause=cause,
    )


def run_failure_alert(s: Settings) -> dg.RunFailureSensorDefinition:
    @dg.run_failure_sensor(
        name="rus_run_failure_alert",
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Records every failed run in audit.run_failures and posts it to "
        "RUS_ALERT_WEBHOOK_URL when that is set.",
    )
    def _sensor(context: dg.RunFailureSensorContext) -> None:
        failure = failure_of(context)
        posted = bool(s.alert_webhook_url) and post_alert(s.alert_webhook_url, failure)
        if s.alert_webhook_url and not posted:
            context.log.warning("the alert webhook did not take the failure (see audit table)")
        record_failure(s.warehouse_path, failure, posted)
        context.log.info(failure.message())

    return _sensor
