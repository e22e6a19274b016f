"""Shared fixtures: the replay server on 127.0.0.1, fast HTTP settings, a prepared dbt manifest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.config import HttpConfig, KoladaConfig
from ingest.pxweb.config import PxWebConfig
from ingest.replay.server import ReplayServer

REPO_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    """A replay server on a free loopback port, in a thread of this process."""
    server = ReplayServer("127.0.0.1", 0)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def kolada_config(replay: ReplayServer) -> KoladaConfig:
    return KoladaConfig(base_url=f"{replay.url}/v3")


@pytest.fixture
def fast_http() -> HttpConfig:
    """Real retry behaviour with tiny waits, so reliability tests stay quick."""
    return HttpConfig(
        read_timeout_s=5.0, backoff_initial_s=0.01, backoff_max_s=0.05, calls_per_period=1000
    )


@pytest.fixture
def scb_config(replay: ReplayServer) -> PxWebConfig:
    """The SCB PxWeb client pointed at the replay server (v1 and PxWebApi 2.0 roots)."""
    return PxWebConfig(
        v1_base_url=f"{replay.url}/OV0104/v1/doris/sv/ssd", v2_base_url=f"{replay.url}/api/v2"
    )


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server on 127.0.0.1 for the whole session (tests/postgres.py)."""
    from tests.postgres import LocalPostgres

    server = LocalPostgres.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database(postgres_server) -> str:
    """A fresh database on the throwaway server, one per test."""
    import uuid

    name = f"rus_{uuid.uuid4().hex[:8]}"
    postgres_server.admin(f"create database {name}")
    return name
