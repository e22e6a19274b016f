"""Crashes and concurrency, end to end: the pipeline process killed with SIGKILL at each stage,
and second runs started while one is running (refused, naming it).

One data directory goes through a chain of runs, each killed at a later stage (fetch, landing,
dbt, the gap assets, the DuckDB/Parquet publication, the PostgreSQL publication); each is a
plain run that must first recover from the crash before it. After every kill: no partial load is
visible, and the published DuckDB file, the Parquet files and PostgreSQL each hold one whole
publication. The last run, uninterrupted, publishes the same rows as a run never interrupted.
"""

from __future__ import annotations

import glob
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.publish.postgres import PgTarget, pg_publication_id, publish_to_postgres
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import (
    MAIN_JOB,
    main_job_env,
    pg_env,
    pg_target_kwargs,
    run_main_job,
    table_rows,
)
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.e2e

# (stage, the step running when the process is killed, seconds after that step started)
CRASH_POINTS = [
    ("fetch", "raw_kolada", 1.5),
    ("landing", "raw_kolada_values_raw_kolada_values__gx", 0.0),
    ("dbt", "rus_dbt_models", 8.0),
    ("gaps", "gap_area_annual", 0.0),
]
# The publications are killed in a process of their own running the asset's function: a whole
# run to reach them would cost a minute each in `make test`.
PUBLISHERS = {
    "publication": "from orchestration.publish.publication import publish; "
    "publish(Path(sys.argv[1]) / 'warehouse.duckdb', Path(sys.argv[1]) / 'published')",
    "postgres": "from orchestration.publish.postgres import publish_to_postgres; "
    "from orchestration.runtime.settings import pg_target; "
    "publish_to_postgres(Path(sys.argv[1]) / 'published' / 'rus.duckdb', pg_target())",
}
# Slow enough for two more runs to be started, and refused, while the first is still fetching
# (the Kolada client has several requests in flight, so each must be slow on its own).
SLOW_FETCH = [{"kind": "latency", "seconds": 12.0, "path": "^/v3/data/"}]


def start_run(data_dir: Path, env: dict[str, str], faults: list[dict] | None = None):
    """A run that rebuilds even though nothing changed: the chain kills it inside dbt, the gap
    assets and the publication, which a night with nothing new would skip."""
    return subprocess.Popen(
        [*MAIN_JOB, "--rebuild"],
        cwd=REPO_ROOT,
        env=main_job_env(data_dir, faults, env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def started_steps(data_dir: Path, since: float) -> list[str]:
    """Step keys started by the newest run (its SQLite event log under DAGSTER_HOME)."""
    dbs = [
        p
        for p in glob.glob(str(data_dir / "dagster" / "history" / "runs" / "*-*.db"))
        if os.path.getmtime(p) >= since
    ]
    if not dbs:
        return []
    try:
        con = sqlite3.connect(f"file:{max(dbs, key=os.path.getmtime)}?mode=ro", uri=True)
        rows = con.execute(
            "select step_key from event_logs where dagster_event_type = 'STEP_START'"
        ).fetchall()
        con.close()
    except sqlite3.Error:
        return []
    return [r[0] for r in rows]


def kill_at(proc: subprocess.Popen, data_dir: Path, step: str, delay: float, since: float) -> bool:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if step in started_steps(data_dir, since):
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            return True
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    return False


def publication_state(data_dir: Path, target: PgTarget) -> dict[str, object]:
    """One publication everywhere a reader looks, or what is mixed."""
    published = data_dir / "published" / "rus.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = [r[0] for r in con.execute("show tables").fetchall()]
        ids = set()
        for table in tables:
            ids |= {
                r[0]
                for r in con.execute(f'select distinct publication_id from "{table}"').fetchall()
            }
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    parquet_ids = set()
    for path in (data_dir / "published" / "parquet").glob("*.parquet"):
        parquet_ids |= set(pq.read_table(path, columns=["publication_id"]).column(0).to_pylist())
    return {
        "duckdb": ids,
        "parquet": parquet_ids,
        "postgres": pg_publication_id(target),
        "rows": counts,
    }


def is_whole(state: dict[str, object], counts: dict[str, int]) -> bool:
    """One publication in the DuckDB file, the same in Parquet, PostgreSQL holding one, and the
    row counts of the publication before (the sources did not change)."""
    return (
        len(state["duckdb"]) == 1
        and state["parquet"] == state["duckdb"]
        and state["rows"] == counts
        and state["postgres"] is not None
    )


def partial_loads(data_dir: Path) -> list[str]:
    """Visible load folders that are not whole: every file their manifest lists must exist."""
    broken = []
    for manifest in (data_dir / "raw").glob("*/*/manifest.json"):
        listed = json.loads(manifest.read_text(encoding="utf-8")).get("tables", {})
        broken += [
            f"{manifest.parent}/{t}"
            for t in listed
            if not (manifest.parent / f"{t}.parquet").exists()
        ]
    return broken


def second_runs_are_refused(first: subprocess.Popen, data_dir: Path, since: float) -> None:
    """While ``first`` fetches: a second `make run`, and the nightly job launched by Dagster's own
    command as the scheduler would, are both refused naming the first; it runs on undisturbed."""
    deadline = time.monotonic() + 120
    while "raw_kolada" not in started_steps(data_dir, since) and time.monotonic() < deadline:
        time.sleep(0.1)
    env = {**os.environ, "RUS_ENV": "dev", "RUS_DATA_DIR": str(data_dir)}
    dagster = str(Path(sys.executable).with_name("dagster"))
    commands = {
        "second_make_run": [sys.executable, "-m", "orchestration.cli", "run"],
        "scheduled_run_during_make_run": [
            *(dagster, "job", "execute", "-m", "orchestration.definitions", "-j", "rus_nightly")
        ],
    }
    procs = {
        name: subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env={**env, "DAGSTER_HOME": str(data_dir / "dagster")},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, cmd in commands.items()
    }
    outputs = {name: proc.communicate(timeout=180)[0] for name, proc in procs.items()}
    still_running = first.poll() is None
    for name, text in outputs.items():
        refused = procs[name].returncode != 0 and "is in use by run" in text
        line = next((x for x in text.splitlines() if "is in use by run" in x), text[-300:])
        record(
            FaultCase(
                name=name,
                category="concurrency",
                tried=f"{' '.join(commands[name][-4:])} while a run holds {data_dir.name}/",
                survived=refused and still_running,
                rows_lost=0,
                bad_rows_published=0,
                detail=line[:300],
            )
        )
        assert refused, text[-3000:]
    assert still_running  # the first run was never disturbed


def kill_a_run_at(
    data_dir: Path,
    env: dict[str, str],
    target: PgTarget,
    before_counts: dict[str, int],
    crash_point: tuple[str, str, float],
) -> None:
    """One link of the chain: a plain run killed ``delay`` s into ``step`` (at the fetch, two
    more runs are refused first); afterwards one whole publication everywhere and no partial
    load."""
    stage, step, delay = crash_point
    since = time.time()
    proc = start_run(data_dir, env, SLOW_FETCH if stage == "fetch" else None)
    if stage == "fetch":
        second_runs_are_refused(proc, data_dir, since)
    killed = kill_at(proc, data_dir, step, delay, since)
    state = publication_state(data_dir, target)
    whole = is_whole(state, before_counts)
    broken = partial_loads(data_dir)
    record(
        FaultCase(
            name=f"sigkill_during_{stage}",
            category="crash",
            tried=f"SIGKILL {delay:.1f} s into step {step} of a plain run",
            survived=killed and whole and not broken,
            rows_lost=0 if state["rows"] == before_counts else 1,
            bad_rows_published=0 if whole else 1,
            detail=f"publications {state['duckdb']} / parquet {state['parquet']} / "
            f"postgres {state['postgres']}; partial loads {broken}",
        )
    )
    assert killed, f"the run finished before {step} could be killed"
    assert whole, state
    assert not broken, broken


def kill_a_publisher(
    data_dir: Path,
    env: dict[str, str],
    target: PgTarget,
    before_counts: dict[str, int],
    stage: str,
    code: str,
) -> None:
    """One link of the chain: the publication's own work (``code``) killed at several points;
    afterwards one whole publication everywhere."""
    for delay in (0.3, 0.8, 1.5):  # kill it at several points of its work
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                f"import sys; from pathlib import Path; {code}",
                str(data_dir),
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "RUS_DATA_DIR": str(data_dir), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        killed = proc.poll() is None
        proc.kill()
        proc.wait(timeout=30)
        if killed:
            break
    state = publication_state(data_dir, target)
    whole = is_whole(state, before_counts)
    record(
        FaultCase(
            name=f"sigkill_during_{stage}",
            category="crash",
            tried=f"SIGKILL {delay:.1f} s into the {stage} step's work",
            survived=killed and whole,
            rows_lost=0 if state["rows"] == before_counts else 1,
            bad_rows_published=0 if whole else 1,
            detail=f"publications {state['duckdb']} / parquet {state['parquet']} / "
            f"postgres {state['postgres']}",
        )
    )
    assert killed, f"the {stage} finished within {delay} s"
    assert whole, state


def test_a_sigkill_at_every_stage_costs_nothing_but_a_rerun(
    copy_of_first_run, postgres_server, pg_database
):
    data_dir = copy_of_first_run
    target = PgTarget(**pg_target_kwargs(postgres_server, pg_database))
    env = pg_env(postgres_server, pg_database)
    published = data_dir / "published" / "rus.duckdb"
    publish_to_postgres(published, target)  # PostgreSQL holds the current publication
    before_rows = table_rows(published)
    before_counts = publication_state(data_dir, target)["rows"]

    for crash_point in CRASH_POINTS:
        kill_a_run_at(data_dir, env, target, before_counts, crash_point)
    for stage, code in PUBLISHERS.items():
        kill_a_publisher(data_dir, env, target, before_counts, stage, code)

    # A plain run, uninterrupted, after the whole chain: no manual clean-up.
    proc = run_main_job(data_dir, env=env)
    state = publication_state(data_dir, target)
    same = proc.returncode == 0 and table_rows(published) == before_rows
    one = len(state["duckdb"]) == 1 and state["parquet"] == state["duckdb"] == {state["postgres"]}
    record(
        FaultCase(
            name="rerun_after_the_crashes",
            category="crash",
            tried="a plain run after six killed ones",
            survived=same and one,
            rows_lost=0 if same else 1,
            bad_rows_published=0 if one else 1,
            detail=proc.stderr[-300:] if proc.returncode else "same rows as the uninterrupted run",
        )
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert table_rows(published) == before_rows
    assert one, state
