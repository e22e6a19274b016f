"""Whether the dbt manifest is fresh, and parsing it in the background (no Dagster imports).

The manifest only defines the dbt assets (`dbt build` parses again for itself). Parsing takes
10–15 s, so the CLI starts it first and lets it overlap the replay server's start-up and the
heavy imports instead of waiting for it. dbt gets its environment as ``env=`` (see
orchestration/runtime/settings.py ``dbt_env``); nothing here reads or writes ``os.environ``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from orchestration.runtime.layout import REPO_ROOT

DBT_DIR = REPO_ROOT / "dbt_project"
MANIFEST = DBT_DIR / "target" / "manifest.json"
# Build output, caches and dotfiles: never a source of the project (nor walked into).
NOT_SOURCES = frozenset({"target", "logs", "dbt_packages", "__pycache__"})


def source_files(top: Path) -> Iterator[Path]:
    """Every file under ``top`` that is a source (sorted), without walking into build output,
    caches or dotted directories (dbt's target/ holds thousands of files)."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in NOT_SOURCES and not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith(".pyc"):
                yield Path(root) / name


def manifest_is_fresh(project_dir: Path = DBT_DIR, manifest: Path = MANIFEST) -> bool:
    """Whether ``manifest`` is newer than every file of the dbt project it was parsed from."""
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    return not any(path.stat().st_mtime > built for path in source_files(project_dir))


def start_parse(env: Mapping[str, str], force: bool = False) -> subprocess.Popen[str] | None:
    """Start `dbt parse` in the background unless the manifest is fresh (or ``force``); ``env`` is
    dbt's whole environment (it must hold what dbt reads: RUS_DATA_DIR, RUS_REGION)."""
    if manifest_is_fresh() and not force:
        return None
    dbt = str(Path(sys.executable).parent / "dbt")
    args = ["parse", "--quiet", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    return subprocess.Popen(
        [dbt, *args],
        cwd=DBT_DIR,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_parse(proc: subprocess.Popen[str] | None, timeout_s: float = 300.0) -> None:
    """Wait for a background parse; a failure is an error carrying dbt's own words."""
    if proc is None:
        return
    output, _ = proc.communicate(timeout=timeout_s)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse failed (exit {proc.returncode}):\n{output[-3000:]}")


def parse(env: Mapping[str, str], force: bool = False) -> bool:
    """`dbt parse` now unless the manifest is fresh (or ``force``); True when it parsed."""
    proc = start_parse(env, force)
    finish_parse(proc)
    return proc is not None
