"""Fixtures of the reliability suite: one replay server per module, faults cleared per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.config import HttpConfig
from ingest.replay.server import ReplayServer
from tests.conftest import serving


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with serving() as server:
        yield server


@pytest.fixture
def replay(server: ReplayServer) -> Iterator[ReplayServer]:
    server.faults.clear()
    yield server
    server.faults.clear()


@pytest.fixture
def http() -> HttpConfig:
    """Real retries with short waits; a read timeout short enough for the timeout case."""
    return HttpConfig(
        read_timeout_s=2.0,
        backoff_initial_s=0.01,
        backoff_max_s=0.05,
        max_retry_after_s=1.0,
        calls_per_period=1000,
        max_response_bytes=8 * 1024 * 1024,
    )
