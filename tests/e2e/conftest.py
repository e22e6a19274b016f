"""The one clean run of the main job the end-to-end tests share (once per session)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.pipeline import FIRST_RUN_DATABASE, pg_env, run_main_job


@pytest.fixture(scope="session")
def first_run(tmp_path_factory, postgres_server) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One clean run of the main job, publishing to DuckDB, Parquet and PostgreSQL."""
    data_dir = tmp_path_factory.mktemp("first") / "data"
    postgres_server.admin(f"create database {FIRST_RUN_DATABASE}")
    proc = run_main_job(data_dir, env=pg_env(postgres_server, FIRST_RUN_DATABASE))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return data_dir, proc


@pytest.fixture
def copy_of_first_run(first_run, tmp_path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(first_run[0], data_dir, symlinks=True)
    (data_dir / "dagster" / "dagster.yaml").unlink(missing_ok=True)
    return data_dir
