"""A failed run reaches someone: the run-failure sensor records it in audit.run_failures and
posts it to RUS_ALERT_WEBHOOK_URL (here a local HTTP sink on 127.0.0.1)."""

from __future__ import annotations

import json

import dagster as dg
import duckdb
import pytest

from orchestration.defs.sensors import run_failure_alert
from orchestration.runtime.settings import Settings
from tests.webhook import webhook_sink

pytestmark = pytest.mark.integration


@pytest.fixture
def sink():
    with webhook_sink() as server:
        yield server


@dg.op
def fetch_fails() -> None:
    raise RuntimeError("Kolada answered HTTP 503 five times")


@dg.job
def nightly_that_fails() -> None:
    fetch_fails()


def settings_for(tmp_path, webhook: str) -> Settings:
    return Settings(
        env="dev",
        data_dir=tmp_path,
        region_code="0018",
        first_year=2020,
        kolada_base_url="http://127.0.0.1:9/v3",
        alert_webhook_url=webhook,
    )


def fail_and_sense(tmp_path, webhook: str) -> list[tuple]:
    with dg.instance_for_test() as instance:
        result = nightly_that_fails.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        context = dg.build_run_status_sensor_context(
            sensor_name="rus_run_failure_alert",
            dagster_instance=instance,
            dagster_run=result.dagster_run,
            dagster_event=result.get_run_failure_event(),
        ).for_run_failure()
        run_failure_alert(settings_for(tmp_path, webhook))(context)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select run_id, job_name, failed_steps, cause, alert_posted from audit.run_failures"
        ).fetchall()
    finally:
        con.close()


def test_a_failed_run_is_recorded_and_posted_to_the_webhook(tmp_path, sink):
    url = f"http://127.0.0.1:{sink.server_address[1]}/hooks/secret-token"
    ((run_id, job, steps, cause, posted),) = fail_and_sense(tmp_path, url)
    assert job == "nightly_that_fails" and json.loads(steps) == ["fetch_fails"]
    assert "Kolada answered HTTP 503 five times" in cause and posted is True
    (alert,) = sink.received
    assert alert["run_id"] == run_id and alert["failed_steps"] == ["fetch_fails"]
    assert "nightly_that_fails" in alert["text"] and "HTTP 503" in alert["text"]
    assert "secret-token" not in json.dumps(alert)


def test_a_webhook_that_is_down_still_leaves_the_failure_on_record(tmp_path):
    rows = fail_and_sense(tmp_path, "http://127.0.0.1:9/hooks/secret-token")
    assert [r[4] for r in rows] == [False]
    audit = (tmp_path / "warehouse.duckdb").read_bytes()
    assert b"secret-token" not in audit


def test_without_a_webhook_the_failure_is_recorded_only(tmp_path):
    assert [r[4] for r in fail_and_sense(tmp_path, "")] == [False]
