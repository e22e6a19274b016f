"""Security: servers bind loopback by default, secrets live only in the environment (never under
data/: logs, run storage, Data Docs, warehouse, published files), the BI role only reads."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import psycopg2
import pytest

from ingest.replay.server import ReplayServer
from orchestration.publish.postgres import publish_to_postgres
from orchestration.runtime.pg_settings import PgTarget
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import BI_PASSWORD, WEBHOOK_SECRET, pg_target_kwargs
from tests.postgres import SUPERUSER_PASSWORD
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.e2e


def test_every_server_the_project_starts_binds_loopback_by_default():
    server = ReplayServer()  # the defaults, as the dev resources and `make replay` use them
    try:
        replay_host = server.server_address[0]
    finally:
        server.server_close()
    hosts = {"replay server": replay_host}
    for unit in (REPO_ROOT / "deploy" / "systemd").glob("*.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read(unit, encoding="utf-8")
        found = re.search(r"--host (\S+)", parser["Service"]["ExecStart"])
        if found:
            hosts[unit.stem] = found.group(1)
    workspace = (REPO_ROOT / "deploy" / "workspace.yaml").read_text(encoding="utf-8")
    hosts["code server (workspace)"] = re.search(r"host: (\S+)", workspace).group(1)
    cli = (REPO_ROOT / "orchestration" / "cli.py").read_text(encoding="utf-8")
    hosts["make dev (dagster dev)"] = "127.0.0.1" if '"127.0.0.1",' in cli else "?"
    exposed = {name: host for name, host in hosts.items() if host != "127.0.0.1"}
    record(
        FaultCase(
            "servers_bind_loopback",
            "security",
            "the default bind address of every server the project starts",
            not exposed,
            0,
            0,
            str(hosts),
        )
    )
    assert not exposed, exposed
    assert len(hosts) >= 5


def test_no_secret_appears_anywhere_under_data(first_run):
    data_dir: Path = first_run[0]
    secrets = {
        "webhook URL": WEBHOOK_SECRET.encode(),
        "webhook token": b"rus-webhook-token-7f3a9c",
        "PostgreSQL password": SUPERUSER_PASSWORD.encode(),
        "BI role password": BI_PASSWORD.encode(),
    }
    found = []
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    for path in files:
        content = path.read_bytes()
        found += [
            f"{name} in {path.relative_to(data_dir)}" for name, s in secrets.items() if s in content
        ]
    record(
        FaultCase(
            "no_secret_under_data",
            "security",
            f"grep {len(files)} files under data/ of a run with secrets in its environment",
            not found,
            0,
            0,
            "; ".join(found) or f"none of {len(secrets)} secrets in {len(files)} files",
        )
    )
    assert len(files) > 50  # logs, run storage, Data Docs, warehouse, published files
    assert not found, found


WRITES = {
    "create a table": "create table rus.intruder (x int)",
    "insert": "insert into rus.publications select * from rus.publications",
    "delete": "delete from rus.fct_indicator_value",
    "create a schema": "create schema intruder",
    "create in public": "create table public.intruder (x int)",
}


def test_the_bi_role_stays_read_only(first_run, postgres_server, pg_database):
    # Roles are cluster-wide and other tests publish too: publish the first run's file here, so
    # the role has the password this test knows.
    published = first_run[0] / "published" / "rus.duckdb"
    publish_to_postgres(published, PgTarget(**pg_target_kwargs(postgres_server, pg_database)))
    conn = psycopg2.connect(
        host=postgres_server.host,
        port=postgres_server.port,
        dbname=pg_database,
        user="rus_bi",
        password=BI_PASSWORD,
    )
    conn.autocommit = True
    allowed = []
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from rus.fct_indicator_value")
            readable = cur.fetchone()[0] > 0
            for what, statement in WRITES.items():
                try:
                    cur.execute(statement)
                    allowed.append(what)
                except psycopg2.Error:
                    pass
    finally:
        conn.close()
    record(
        FaultCase(
            "bi_role_read_only",
            "security",
            f"as rus_bi: {', '.join(WRITES)}",
            readable and not allowed,
            0,
            0,
            f"allowed: {allowed}" if allowed else "every write refused; reads work",
        )
    )
    assert readable and not allowed, allowed
