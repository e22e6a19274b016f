"""`make run`'s log file: everything but the summary goes there (runtime/run_log.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from orchestration.runtime.run_log import error_lines, new_log_path, output_to, prune_logs

REPO_ROOT = Path(__file__).resolve().parents[2]


CHILD = """
import os, subprocess, sys, warnings
from pathlib import Path
from orchestration.runtime.run_log import output_to

log = Path(sys.argv[1])
with output_to(log) as terminal:
    print("dagster INFO line")
    print("a warning on stderr", file=sys.stderr)
    warnings.warn("a deprecation", UserWarning, stacklevel=1)
    os.write(1, b"written to the descriptor\\n")
    subprocess.run([sys.executable, "-c", "print('dbt PASS=194')"], check=True)
    terminal.say("Run 0eb6844e succeeded in 41 s")
    print("the failure cause", file=terminal.err, flush=True)
    if len(sys.argv) > 2:
        raise KeyboardInterrupt
print("after the run")
"""


def run_child(log, *args: str) -> subprocess.CompletedProcess[str]:
    """A process of its own, so that its descriptors 1 and 2 are really its stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(log), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_output_of_this_process_and_its_children_goes_to_the_log(tmp_path):
    log = tmp_path / "run_x.log"
    proc = run_child(log)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Run 0eb6844e succeeded in 41 s\nafter the run\n"
    assert proc.stderr == "the failure cause\n"
    text = log.read_text(encoding="utf-8")
    for line in ("dagster INFO", "a warning on stderr", "a deprecation", "descriptor", "PASS=194"):
        assert line in text, line
    assert "succeeded" not in text and "failure cause" not in text


def test_the_descriptors_are_restored_when_the_run_raises(tmp_path):
    proc = run_child(tmp_path / "run_x.log", "interrupt")
    assert proc.returncode != 0
    assert proc.stdout == "Run 0eb6844e succeeded in 41 s\n"
    assert "KeyboardInterrupt" in proc.stderr  # the traceback reaches the terminal again
    assert "KeyboardInterrupt" not in (tmp_path / "run_x.log").read_text(encoding="utf-8")


def test_verbose_leaves_the_output_where_it_is(capsys):
    with output_to(None) as terminal:
        print("dagster INFO line")
        terminal.say("summary")
    assert capsys.readouterr().out == "dagster INFO line\nsummary\n"


def test_log_names_are_the_utc_time_and_never_taken_twice(tmp_path):
    now = datetime(2026, 12, 5, 9, 4, 47, tzinfo=UTC)
    first = new_log_path(tmp_path / "logs", now)
    assert first == tmp_path / "logs" / "run_20261205T090447Z.log"
    first.touch()
    assert new_log_path(tmp_path / "logs", now).name == "run_20261205T090447Z-2.log"


def test_only_the_newest_logs_are_kept(tmp_path):
    for i in range(13):
        path = tmp_path / f"run_2026120{i:02d}.log"
        path.touch()
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "other.txt").touch()
    removed = prune_logs(tmp_path, keep=10)
    assert [p.name for p in removed] == [f"run_2026120{i:02d}.log" for i in range(3)]
    assert len(list(tmp_path.glob("run_*.log"))) == 10 and (tmp_path / "other.txt").exists()


LOG = """\
2026-12-05 09:07:05 +0000 - dagster - INFO - rus_nightly - 96caf26d-b2ff-4011-8d7e-e7c9520b1257 - rus_dbt_models - Running dbt command
8 of 200 ERROR loading seed file seeds.indicators ....... [\x1b[31mERROR\x1b[0m in 0.03s]
2026-12-05 09:07:11 +0000 - dagster - ERROR - rus_nightly - 96caf26d-b2ff-4011-8d7e-e7c9520b1257 - 4944 - rus_dbt_models - STEP_FAILURE - Execution of step "rus_dbt_models" failed.
  Runtime Error in seed indicators (seeds/indicators.csv)
  Enable ignore errors (ignore_errors=true) to ignore potential errors
Stack Trace:
  File "/venv/dagster_dbt/core/dbt_cli_invocation.py", line 475, in _raise_on_error
    raise error_from_failed_dbt
2026-12-05 09:07:11 +0000 - dagster - ERROR - rus_nightly - 96caf26d-b2ff-4011-8d7e-e7c9520b1257 - gap_statements - Dependencies for step gap_statements failed: ['rus_dbt_models']. Not executing.
8 of 200 ERROR loading seed file seeds.indicators ....... [\x1b[31mERROR\x1b[0m in 0.03s]
"""  # noqa: E501


def test_the_excerpt_keeps_the_lines_about_errors_without_frames_and_skipped_steps():
    assert error_lines(LOG) == [
        'ERROR - rus_dbt_models - STEP_FAILURE - Execution of step "rus_dbt_models" failed.',
        "Runtime Error in seed indicators (seeds/indicators.csv)",
        "8 of 200 ERROR loading seed file seeds.indicators ....... [ERROR in 0.03s]",
    ]
    assert error_lines(LOG, limit=1) == [
        "8 of 200 ERROR loading seed file seeds.indicators ....... [ERROR in 0.03s]"
    ]
    assert error_lines("all fine\n") == []
