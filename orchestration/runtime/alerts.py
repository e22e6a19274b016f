"""A failed run reaches someone: recorded in ``audit.run_failures`` and posted to a webhook.

Plain functions (the Dagster sensor in ``orchestration/defs/sensors.py`` only gathers the facts).
The webhook URL comes from ``RUS_ALERT_WEBHOOK_URL`` through the settings and is never written to
the audit table, a log line or run metadata: it often carries a token.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from ingest.config import HttpConfig
from ingest.errors import FetchError
from ingest.http import HttpClient

DDL = """
create schema if not exists audit;
create table if not exists audit.run_failures (
    failed_at timestamp,
    run_id varchar,
    job_name varchar,
    failed_steps varchar,  -- JSON list of step keys
    cause varchar,
    alert_posted boolean
);
"""


@dataclass(frozen=True)
class RunFailure:
    run_id: str
    job_name: str
    failed_at: str  # ISO 8601, UTC
    failed_steps: tuple[str, ...]
    cause: str

    def message(self) -> str:
        steps = ", ".join(self.failed_steps) or "no step"
        return f"rus-pipeline: run {self.run_id} of {self.job_name} failed ({steps}): {self.cause}"


def post_alert(url: str, failure: RunFailure, http: HttpConfig | None = None) -> bool:
    """POST the failure as JSON (``text`` for chat webhooks, the fields for everything else);
    True when the webhook took it. A webhook that is down never hides the failure itself."""
    client = HttpClient(http or HttpConfig(max_attempts=3, read_timeout_s=10.0))
    try:
        client.post(url, {"text": failure.message(), **asdict(failure)})
    except FetchError:
        return False
    return True


def record_failure(warehouse: Path, failure: RunFailure, alert_posted: bool) -> None:
    """Append the failure to ``audit.run_failures`` in the working warehouse."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(DDL)
        con.execute(
            "insert into audit.run_failures values (?, ?, ?, ?, ?, ?)",
            [
                failure.failed_at.rstrip("Z"),
                failure.run_id,
                failure.job_name,
                json.dumps(list(failure.failed_steps)),
                failure.cause,
                alert_posted,
            ],
        )
    finally:
        con.close()
