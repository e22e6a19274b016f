"""Apache Superset for the tests: `make bi` started on a free loopback port against a published
file, and its REST API as a script would use it. Used by tests/e2e/test_superset.py."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.conftest import REPO_ROOT
from tests.processes import free_port, stop_process_group

BI_VENV = REPO_ROOT / ".venv-bi"
BI_STAMP = BI_VENV / ".installed-stamp"
SLUG = "rus-uppfoljning"
STARTUP_TIMEOUT_S = 300


@dataclass
class Superset:
    url: str
    db: Path
    log: Path


@contextmanager
def running_superset(published: Path, state: Path, user: str, password: str) -> Iterator[Superset]:
    """`make bi` against ``published`` on a free port, state in ``state``; the whole process
    group is stopped on exit."""
    port = free_port()
    log = state / "make-bi.log"
    env = {**os.environ, "RUS_BI_ADMIN_USER": user, "RUS_BI_ADMIN_PASSWORD": password}
    for name in ("SUPERSET_CONFIG_PATH", "SUPERSET_SECRET_KEY", "RUS_BI_HOME", "MAKEFLAGS"):
        env.pop(name, None)
    command = ["make", "--no-print-directory", "bi", f"BI_PORT={port}"]
    command += [f"BI_DB={published}", f"BI_HOME={state}"]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                if requests.get(f"{url}/health", timeout=5).ok:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or its workers are still starting
            assert proc.poll() is None, f"make bi exited early:\n{tail(log)}"
            assert time.monotonic() < deadline, f"Superset did not answer:\n{tail(log)}"
            time.sleep(0.5)
        yield Superset(url, published, log)
    finally:
        stop_process_group(proc)


def tail(path: Path, n: int = 4000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-n:]


class Api:
    """Superset's REST API as a script would use it: a JWT from /api/v1/security/login, a CSRF
    token for SQL Lab."""

    def __init__(self, url: str, user: str, password: str) -> None:
        self.url = url
        self.session = requests.Session()
        login = self.session.post(
            f"{url}/api/v1/security/login",
            json={"username": user, "password": password, "provider": "db", "refresh": False},
            timeout=30,
        )
        assert login.ok, login.text
        self.session.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        csrf = self.get("/api/v1/security/csrf_token/")["result"]
        self.session.headers.update({"X-CSRFToken": csrf, "Referer": url})

    def get(self, path: str) -> dict:
        response = self.session.get(f"{self.url}{path}", timeout=60)
        assert response.ok, f"GET {path}: {response.status_code} {response.text[:2000]}"
        return response.json()

    def post(self, path: str, body: dict) -> requests.Response:
        return self.session.post(f"{self.url}{path}", json=body, timeout=120)

    def dashboard(self) -> dict:
        return self.get(f"/api/v1/dashboard/{SLUG}")["result"]

    def charts(self) -> dict[str, dict]:
        """The dashboard's charts by name, each with its saved query context."""
        charts = self.get(f"/api/v1/dashboard/{SLUG}/charts")["result"]
        return {c["slice_name"]: self.get(f"/api/v1/chart/{c['id']}")["result"] for c in charts}

    def chart_data(self, chart: dict) -> list[dict]:
        """The rows the chart data API returns for the chart's saved query."""
        (result,) = self.get(f"/api/v1/chart/{chart['id']}/data/")["result"]
        return result["data"]

    def sql(self, database_id: int, sql: str) -> requests.Response:
        return self.post(
            "/api/v1/sqllab/execute/",
            {
                "database_id": database_id,
                "sql": sql,
                "schema": "main",
                "runAsync": False,
                "tab": "test_superset",
                "client_id": secrets.token_hex(5),
                "queryLimit": 10_000,
            },
        )
