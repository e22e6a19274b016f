"""A publication to PostgreSQL aborted by a deadlock with a BI reader is rolled back and tried
again; any other error is not retried."""

from __future__ import annotations

from unittest import mock

import psycopg2.errors
import pytest

from orchestration.publish import postgres as postgres_target
from orchestration.runtime.pg_settings import PgTarget


def fake_connect(monkeypatch) -> mock.MagicMock:
    """``postgres.connect`` answering a fake connection; its calls are counted."""
    connect = mock.MagicMock(return_value=mock.MagicMock())
    monkeypatch.setattr(postgres_target, "connect", connect)
    return connect


def test_a_deadlocked_swap_is_tried_again(monkeypatch):
    calls = []

    def swap_in(*args):
        calls.append(args)
        if len(calls) == 1:
            raise psycopg2.errors.DeadlockDetected("deadlock detected")
        return {"t": 3}, False

    monkeypatch.setattr(postgres_target, "_swap_in", swap_in)
    monkeypatch.setattr(postgres_target._publish_once.retry, "sleep", lambda s: None)
    connect = fake_connect(monkeypatch)
    target = mock.MagicMock(spec=PgTarget)
    assert postgres_target._publish_once(None, {}, target, "P1") == ({"t": 3}, False)
    assert len(calls) == 2 and connect.call_count == 2  # a fresh transaction each time


def test_other_errors_are_not_retried(monkeypatch):
    def swap_in(*args):
        raise psycopg2.errors.InsufficientPrivilege("permission denied")

    monkeypatch.setattr(postgres_target, "_swap_in", swap_in)
    connect = fake_connect(monkeypatch)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        postgres_target._publish_once(None, {}, mock.MagicMock(spec=PgTarget), "P1")
    assert connect.call_count == 1
