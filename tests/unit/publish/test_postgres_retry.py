"""A publication to PostgreSQL aborted by a deadlock with a BI reader is rolled back and tried
again; any other error is not retried."""

from __future__ import annotations

from unittest import mock

import psycopg2.errors
import pytest

from orchestration.publish import postgres as postgres_target
from orchestration.publish.postgres import PgTarget


def fake_target() -> mock.MagicMock:
    target = mock.MagicMock(spec=PgTarget)
    target.connect.return_value = mock.MagicMock()
    return target


def test_a_deadlocked_swap_is_tried_again(monkeypatch):
    calls = []

    def swap_in(*args):
        calls.append(args)
        if len(calls) == 1:
            raise psycopg2.errors.DeadlockDetected("deadlock detected")
        return {"t": 3}, False

    monkeypatch.setattr(postgres_target, "_swap_in", swap_in)
    monkeypatch.setattr(postgres_target._publish_once.retry, "sleep", lambda s: None)
    target = fake_target()
    assert postgres_target._publish_once(None, {}, target, "P1") == ({"t": 3}, False)
    assert len(calls) == 2 and target.connect.call_count == 2  # a fresh transaction each time


def test_other_errors_are_not_retried(monkeypatch):
    def swap_in(*args):
        raise psycopg2.errors.InsufficientPrivilege("permission denied")

    monkeypatch.setattr(postgres_target, "_swap_in", swap_in)
    target = fake_target()
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        postgres_target._publish_once(None, {}, target, "P1")
    assert target.connect.call_count == 1
