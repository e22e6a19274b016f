"""One run of the main job (``python -m orchestration.cli run``) measured from outside.

Wall time and peak memory from :mod:`benchmarks.procmon`; the time per stage from the run's own
Dagster event log (step start and end) and the loads' manifests (fetch and land seconds, requests,
bytes); what was skipped from the run's tags (orchestration/defs/assets/dbt.py).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.paths import REPO_ROOT
from benchmarks.procmon import run_sampled
from orchestration.runtime.layout import DataLayout

SOURCES = ("kolada", "scb")
# Stages in the order they run; "overhead" is the rest of the wall time (interpreter start-up,
# imports, the run's own bookkeeping in Dagster).
STAGES = ("fetch", "land", "validate", "dbt", "gaps", "report", "publish", "overhead")
SKIPPED_TAG = "rus/skipped"
SKIP_REASON_TAG = "rus/skip_reason"


@dataclass
class PipelineRun:
    returncode: int
    wall_s: float
    peak_tree_mb: float
    peak_process_mb: float
    stages: dict[str, float] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    skipped_steps: list[str] = field(default_factory=list)
    skip_reason: str = ""
    requests: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)
    fetch_s: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def stage_of(step_key: str) -> str:
    """The stage a step of the nightly job belongs to (checks: validate)."""
    if "__gx" in step_key:
        return "validate"
    if step_key.startswith("raw_"):
        return "fetch"
    if step_key == "rus_dbt_models":
        return "dbt"
    if step_key.startswith("gap_"):
        return "gaps"
    if step_key == "followup_report":
        return "report"
    if step_key.startswith("published_"):
        return "publish"
    return "overhead"


def split_stages(
    steps: dict[str, float], land_s: dict[str, float], wall_s: float
) -> dict[str, float]:
    """Seconds per stage: the ingest steps' time split into fetch and land by their manifests'
    land seconds; what no step accounts for is overhead."""
    stages = dict.fromkeys(STAGES, 0.0)
    for key, seconds in steps.items():
        stages[stage_of(key)] += seconds
    landed = min(sum(land_s.values()), stages["fetch"])
    stages["fetch"] -= landed
    stages["land"] = landed
    stages["overhead"] = max(0.0, wall_s - sum(steps.values()))
    return {k: round(v, 2) for k, v in stages.items()}


def read_run(dagster_home: Path) -> tuple[dict[str, float], list[str], dict[str, str]]:
    """The newest run's step durations, skipped steps and tags."""
    from dagster import DagsterEventType, DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}, [], {}
        run = runs[0]
        started: dict[str, float] = {}
        steps: dict[str, float] = {}
        skipped: list[str] = []
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None or record.step_key is None:
                continue
            if event.event_type == DagsterEventType.STEP_START:
                started[record.step_key] = record.timestamp
            elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
                steps[record.step_key] = record.timestamp - started.get(
                    record.step_key, record.timestamp
                )
            elif event.event_type == DagsterEventType.STEP_SKIPPED:
                skipped.append(record.step_key)
        return steps, sorted(skipped), dict(run.tags)


def newest_manifests(data_dir: Path, before: dict[str, set[str]]) -> dict[str, dict]:
    """The manifest of the load each source landed since ``before`` (its load ids then)."""
    out = {}
    for source in SOURCES:
        root = DataLayout(data_dir).raw_dir / source
        new = sorted(
            p.name
            for p in (root.iterdir() if root.exists() else [])
            if p.name not in before[source]
        )
        if new and (root / new[-1] / "manifest.json").exists():
            out[source] = json.loads((root / new[-1] / "manifest.json").read_text("utf-8"))
    return out


def _loads(data_dir: Path) -> dict[str, set[str]]:
    raw = DataLayout(data_dir).raw_dir
    return {
        s: {p.name for p in (raw / s).iterdir()} if (raw / s).exists() else set() for s in SOURCES
    }


def run_pipeline(
    data_dir: Path,
    replay_url: str,
    snapshot: Path | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> PipelineRun:
    """Run the main job in ``data_dir`` against the replay server at ``replay_url``."""
    run_env = {
        **os.environ,
        "RUS_ENV": "dev",
        "RUS_DATA_DIR": str(data_dir),
        "RUS_REPLAY_URL": replay_url,
        **({"RUS_REPLAY_SNAPSHOT": str(snapshot)} if snapshot else {}),
        **(env or {}),
    }
    for name in ("RUS_REPLAY_FAULTS", "KOLADA_BASE_URL", "RUS_PG_HOST"):
        run_env.pop(name, None)
    before = _loads(data_dir)
    sampled = run_sampled(
        [sys.executable, "-m", "orchestration.cli", "run", *args], run_env, REPO_ROOT
    )
    run = PipelineRun(
        sampled.returncode,
        round(sampled.wall_s, 2),
        round(sampled.peak_tree_mb, 1),
        round(sampled.peak_process_mb, 1),
    )
    if sampled.returncode != 0:
        run.error = (sampled.stderr or sampled.stdout)[-2000:]
        return run
    steps, skipped, tags = read_run(data_dir / "dagster")
    manifests = newest_manifests(data_dir, before)
    run.steps = {k: round(v, 2) for k, v in steps.items()}
    run.skipped_steps = skipped
    run.skip_reason = tags.get(SKIP_REASON_TAG, "")
    for source, manifest in manifests.items():
        run.requests[source] = int(manifest["http"]["requests"])
        run.bytes[source] = int(manifest["http"]["bytes"])
        run.fetch_s[source] = float((manifest.get("timings") or {}).get("fetch_s", 0.0))
        run.rows[source] = int(manifest.get("changes", {}).get("fetched_rows") or 0)
    land_s = {s: float((m.get("timings") or {}).get("land_s", 0.0)) for s, m in manifests.items()}
    run.stages = split_stages(steps, land_s, sampled.wall_s)
    return run
