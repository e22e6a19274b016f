"""Entry points behind ``make run`` and ``make dev``.

``python -m orchestration.cli run``  materialize every asset once (the main job) and print what
                                     was published and the report's share of assessments on
                                     real values only; non-zero exit naming the failed step.
``python -m orchestration.cli dev``  ``dagster dev`` on 127.0.0.1:3000 with the same code location.

In ``RUS_ENV=dev`` (the default) the sources are the replay server on a free 127.0.0.1 port,
started by the dev resources (orchestration/replay_resource.py) and handed to the Kolada and
PxWeb resources; in ``prod`` the live APIs (or your ``KOLADA_BASE_URL``). Bare ``dagster dev``
and ``dagster asset materialize -m orchestration.definitions`` get the same resources.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from orchestration import dbt_manifest
from orchestration.env import REPO_ROOT, Settings, export_for_dbt, settings


def prepare_dagster_home(s: Settings) -> Path:
    """DAGSTER_HOME under data/, holding the project's dagster.yaml (run history for `make dev`)."""
    home = s.data_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@contextlib.contextmanager
def environment(s: Settings) -> Iterator[None]:
    """DAGSTER_HOME under data/ and what dbt reads; the data source itself is a resource (the
    replay server in dev, see orchestration/replay_resource.py), never an environment variable."""
    export_for_dbt(s)
    s.data_dir.mkdir(parents=True, exist_ok=True)
    prepare_dagster_home(s)
    if s.env == "dev":
        faults = f"; injecting faults from {s.replay_faults}" if s.replay_faults else ""
        served = s.replay_snapshot or "the bundled snapshot"
        where = s.replay_url or "127.0.0.1"
        print(f"replay server on {where} serving {served} (RUS_ENV=dev{faults})", flush=True)
    else:
        print(
            f"live APIs: Kolada {s.kolada_base_url}, SCB {s.pxweb_v1_base_url} and "
            f"{s.pxweb_v2_base_url} (RUS_ENV=prod)",
            flush=True,
        )
    yield


def run_config(full_refresh: bool, rebuild: bool) -> dict:
    ops: dict = {}
    if full_refresh:
        ops["raw_kolada"] = {"config": {"full_refresh": True}}
    if rebuild:
        ops["rus_dbt_models"] = {"config": {"rebuild": True}}
    return {
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
        **({"ops": ops} if ops else {}),
    }


def run_main_job(full_refresh: bool = False, rebuild: bool = False) -> int:
    s = settings()
    export_for_dbt(s)
    parse = dbt_manifest.start_parse()  # overlaps the replay start-up and the imports below
    with environment(s):
        from dagster import DagsterInstance

        dbt_manifest.finish_parse(parse)
        from orchestration.project import prepare_manifest

        prepare_manifest()

        from orchestration.assets.report import followup_report
        from orchestration.definitions import defs
        from orchestration.jobs import NIGHTLY_JOB
        from orchestration.publishing import published_counts

        job = defs.get_job_def(NIGHTLY_JOB)
        logging.getLogger("dagster._core.execution.plan.active").addFilter(_QuietSkippedChecks())
        with DagsterInstance.get() as instance:
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config=run_config(full_refresh, rebuild),
            )
            tags = instance.get_run_by_id(result.run_id).tags if result.success else {}
        if not result.success:
            print(
                "\nrus-pipeline: the run FAILED; the published marts were left untouched.",
                file=sys.stderr,
            )
            for line in describe_failures(result):
                print(f"  - {line}", file=sys.stderr)
            return 1
        asset_names = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
        skipped = describe_skips(result, tags, asset_names)
        if skipped:
            print(skipped)
        counts = published_counts(s.published_path)
        print(f"\nPublished {len(counts)} tables to {s.published_path}:")
        for table, n in counts.items():
            print(f"  {table:<28} {n:>8} rows")
        summary = report_summary(result, followup_report.key)
        if summary:
            print(summary)
        print(f"Working warehouse: {s.warehouse_path}\nRaw loads: {s.raw_dir}")
        return 0


def describe_skips(result, tags: dict[str, str], asset_names: set[str]) -> str | None:
    """What the run skipped as unchanged and why (the dbt step's run tags): the skipped assets by
    name, and how many checks on them; None when nothing was skipped."""
    from orchestration.assets.dbt import SKIP_REASON_TAG

    reason = tags.get(SKIP_REASON_TAG)
    if not reason:
        return None
    steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}
    assets = sorted(steps & asset_names)
    checks = len(steps - asset_names)
    return (
        f"\nSkipped as unchanged: the dbt build, {', '.join(assets)} and {checks} checks on them."
        f"\n  Why: {reason}.\n  The publication and the report are as they were "
        "(make run REBUILD=1 rebuilds them anyway)."
    )


class _QuietSkippedChecks(logging.Filter):
    """Drops Dagster's warning, once per dbt test, that a check of a build the gate skipped
    emitted no result: every step it would gate is skipped as well."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result in step 'rus_dbt_models'" not in record.getMessage()


def report_summary(result, report_key) -> str | None:
    """The follow-up report's one-line summary (its real-value share) from the run's
    materialization of ``report_key``; None when the run wrote no report."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key == report_key:
            summary = materialization.metadata.get("summary")
            return str(summary.value) if summary is not None else None
    return None


def describe_failures(result) -> list[str]:
    """Failed checks (with the failed expectations) and failed steps with their cause."""
    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            failures = evaluation.metadata.get("failures")
            cause = failures.value if failures is not None else "check failed"
            lines.append(
                f"check {evaluation.check_name} on "
                f"{evaluation.asset_key.to_user_string()} failed: {cause}"
            )
    for event in result.all_events:
        if event.is_resource_init_failure:
            err = event.engine_event_data.error if event.engine_event_data else None
            while err is not None and err.cause is not None:
                err = err.cause  # the resource's own error, e.g. the run lock's
            message = err.message.strip().splitlines()[0] if err else "unknown error"
            lines.append(f"the run could not start: {message}")
        if event.is_step_failure:
            err = event.step_failure_data.error
            message = err.message.strip().splitlines()[0] if err else "unknown error"
            cause = err.cause.message.strip().splitlines()[0] if err and err.cause else ""
            lines.append(
                f"step {event.step_key} failed: {message}" + (f" (cause: {cause})" if cause else "")
            )
    return lines or ["the run failed without a step failure event; see the Dagster UI (make dev)"]


def run_report(year: int | None) -> int:
    """Write the follow-up report for ``year`` (default: latest) from the published file."""
    from orchestration.reporting.report import report_from_publication

    s = settings()
    files = report_from_publication(s.published_path, s.region_code, s.data_dir / "reports", year)
    print(
        f"Follow-up report {files.year}: {files.html}\n  {files.markdown}\n  {files.charts} charts "
        f"(figures and CSV in {files.figures_dir}), {files.statements} statements, "
        f"{files.changes} status changes since {files.year - 1}\n{files.summary}"
    )
    return 0


def run_dev(port: int) -> int:
    s = settings()
    with environment(s):
        cmd = [
            str(Path(sys.executable).with_name("dagster")),
            "dev",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            "orchestration.definitions",
        ]
        print(f"Dagster UI: http://127.0.0.1:{port}", flush=True)
        proc = subprocess.Popen(cmd, start_new_session=False)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            return proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialize every asset once (the main job)")
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="fetch every Kolada value, not only those changed (withdrawn values become deleted)",
    )
    run.add_argument(
        "--rebuild",
        action="store_true",
        help="run dbt, the gap tables, the report and the publication even if nothing changed",
    )
    report = sub.add_parser("report", help="write data/reports/uppfoljning_<year>.html and .md")
    report.add_argument("--year", type=int, default=None, help="assessment year (default: latest)")
    dev = sub.add_parser("dev", help="dagster dev with the replay server")
    dev.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # clean up the replay server on `kill`
    try:
        if args.command == "run":
            return run_main_job(full_refresh=args.full_refresh, rebuild=args.rebuild)
        if args.command == "report":
            return run_report(args.year)
        return run_dev(args.port)
    except (ValueError, RuntimeError, FileNotFoundError) as exc:
        print(f"rus-pipeline: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
