"""`python -m ingest fetch`: lands a load against the replay server and reports it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.landing import RawLanding
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration


def fetch(args, env):
    return subprocess.run(
        [sys.executable, "-m", "ingest", "fetch", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fetch_lands_a_load_and_reports_what_changed(replay, tmp_path):
    env = {"KOLADA_BASE_URL": f"{replay.url}/v3"}
    proc = fetch(
        ["kolada", "--series", "N15428", "--years", "2019-2020", "--data-dir", str(tmp_path)], env
    )
    assert proc.returncode == 0, proc.stderr
    (load_id,) = RawLanding(tmp_path / "raw", "kolada").loads()
    # Riket + 21 län + 12 kommuner × 2 years × T/K/M = 34 × 2 × 3 = 204 values.
    assert f"kolada load {load_id} (full): 204 rows landed" in proc.stdout
    assert "204 new, 0 changed" in proc.stdout
    assert "request" in proc.stderr  # the progress bar


def test_fetch_names_a_bad_argument(tmp_path):
    proc = fetch(["kolada", "--years", "twenty", "--data-dir", str(tmp_path)], {})
    assert proc.returncode == 2
    assert "--years 'twenty': expected YEAR or FIRST-LAST" in proc.stderr


def test_fetch_names_the_url_when_the_api_is_unreachable(tmp_path):
    proc = fetch(
        ["kolada", "--series", "N15428", "--years", "2020", "--data-dir", str(tmp_path)],
        {"KOLADA_BASE_URL": "http://127.0.0.1:9/v3"},
    )
    assert proc.returncode == 1
    assert "ingest: GET http://127.0.0.1:9/v3/data/kpi/N15428" in proc.stderr
