"""dbt as the tests run it: this venv's dbt on a project directory, the warehouse under a data
directory of the test's own, the DuckDB target, and the build output in a target path of its own
(never the working copy's dbt_project/target)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_dbt(
    project: Path, data_dir: Path, target: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` in ``project`` with ``RUS_DATA_DIR=data_dir``; the region left to the
    strategy's owner (no RUS_REGION from the caller's environment)."""
    env = {**os.environ, "RUS_DATA_DIR": str(data_dir), "RUS_DBT_TARGET": "dev"}
    env.pop("RUS_REGION", None)
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            *args,
            *("--project-dir", str(project), "--profiles-dir", str(project)),
            *("--target-path", str(target)),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
