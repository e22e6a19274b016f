"""Entry points behind ``make run`` and ``make dev``.

``python -m orchestration.cli run``  materialize every asset once (the main job) and print a
                                     summary per stage (runtime/run_summary.py) and the
                                     report's share of assessments on real values only; the
                                     rest of the output goes to data/logs/ (``--verbose``: here);
                                     non-zero exit naming the failed step.
``python -m orchestration.cli dev``  ``dagster dev`` on 127.0.0.1:3000 with the same code location.

In ``RUS_ENV=dev`` (the default) the sources are the replay server on a free 127.0.0.1 port,
started by the dev resources (orchestration/defs/replay_resource.py) and handed to the Kolada and
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
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from orchestration.runtime import dbt_manifest, run_log, run_summary
from orchestration.runtime.layout import REPO_ROOT
from orchestration.runtime.settings import Settings, current_settings, dbt_env, dbt_variables


def prepare_dagster_home(s: Settings) -> Path:
    """DAGSTER_HOME under data/, holding the project's dagster.yaml (run history for `make dev`).
    The one variable this entry point writes to its own environment (DagsterInstance.get())."""
    home = s.data_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@contextlib.contextmanager
def environment(s: Settings, say: Callable[[str], None] = print) -> Iterator[None]:
    """DAGSTER_HOME under data/; dbt gets its variables where it is invoked (the dbt resource,
    runtime/dbt_manifest.py) and the data source is a resource (the replay server in dev, see
    orchestration/defs/replay_resource.py), never an environment variable. ``say`` tells where
    the data come from."""
    s.data_dir.mkdir(parents=True, exist_ok=True)
    prepare_dagster_home(s)
    if s.env == "dev":
        faults = f"; injecting faults from {s.replay_faults}" if s.replay_faults else ""
        served = s.replay_snapshot or "the bundled snapshot"
        where = s.replay_url or "127.0.0.1"
        say(f"replay server on {where} serving {served} (RUS_ENV=dev{faults})")
    else:
        say(
            f"live APIs: Kolada {s.kolada_base_url}, SCB {s.pxweb_v1_base_url} and "
            f"{s.pxweb_v2_base_url} (RUS_ENV=prod)"
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


def run_main_job(full_refresh: bool = False, rebuild: bool = False, verbose: bool = False) -> int:
    """The main job, then its summary. Unless ``verbose``, everything else the run writes
    (Dagster's logs, dbt's lines, warnings) goes to data/logs/run_<time>.log, which the summary
    names."""
    started = time.monotonic()
    s = current_settings()  # the same object the code location's definitions are built from
    log = None if verbose else run_log.new_log_path(s.data_dir / run_log.LOG_DIR)
    with run_log.output_to(log) as term:
        try:
            return _run_and_summarise(s, full_refresh, rebuild, term, log, started)
        except (ValueError, RuntimeError, FileNotFoundError) as exc:
            print(f"rus-pipeline: {exc}", file=term.err)
            if log is not None:
                print(f"Full log: {shown(log)}", file=term.err)
            return 2
        except KeyboardInterrupt:
            where = f"; full log: {shown(log)}" if log is not None else ""
            print(f"rus-pipeline: interrupted{where}", file=term.err)
            raise


def shown(path: Path) -> str:
    """``path`` relative to the working directory when under it (as make run is started)."""
    return run_summary.shown(path, Path.cwd())


def _run_and_summarise(
    s: Settings,
    full_refresh: bool,
    rebuild: bool,
    term: run_log.Terminal,
    log: Path | None,
    started: float,
) -> int:
    # dbt parse overlaps the replay start-up and the imports below
    parse = dbt_manifest.start_parse(dbt_env(s))
    with environment(s, say=term.say):
        if log is not None:
            term.say(f"Running the nightly job; Dagster's and dbt's output goes to {shown(log)}")
        from dagster import DagsterInstance

        dbt_manifest.finish_parse(parse)
        from orchestration.defs.project import prepare_manifest

        prepare_manifest()

        from orchestration.definitions import defs
        from orchestration.defs.jobs import NIGHTLY_JOB

        job = defs.resolve_job_def(NIGHTLY_JOB)
        logging.getLogger("dagster._core.execution.plan.active").addFilter(_QuietSkippedChecks())
        with DagsterInstance.get() as instance:
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_config=run_config(full_refresh, rebuild),
            )
            facts = run_facts(instance, result)
            kept = kept_publication(instance, s) if facts.skip_reason else None
    config = summary_config(defs)
    term.say()
    for line in run_summary.summary_lines(facts, config, time.monotonic() - started, kept):
        term.say(line)
    if not facts.success:
        print_failure(facts, term, log)
        return 1
    term.say(f"Working warehouse: {shown(s.warehouse_path)}; raw loads: {shown(s.raw_dir)}")
    if log is not None:
        term.say(f"Full log: {shown(log)}")
    return 0


def run_facts(instance, result) -> run_summary.RunFacts:
    """The run's facts from its event log (which, unlike the in-process result, also holds the
    checks the run planned) and its tags (the change gate's skip reason)."""
    from orchestration.defs.assets.dbt import SKIP_REASON_TAG

    run = instance.get_run_by_id(result.run_id)
    tags = run.tags if run is not None else {}
    events = [e.dagster_event for e in instance.all_logs(result.run_id) if e.dagster_event]
    return run_summary.collect(events, result.run_id, result.success, tags.get(SKIP_REASON_TAG))


def kept_publication(instance, s: Settings) -> run_summary.Kept | None:
    """On a skipped night: the publication kept (its publications row) and the report written
    from it (the report's latest materialization, when it names that publication)."""
    from orchestration.defs.assets.report import followup_report
    from orchestration.runtime.change_gate import read_publication

    publication = read_publication(s.published_path)
    if publication is None:
        return None
    publication_id, published_at, _ = publication
    event = instance.get_latest_materialization_event(followup_report.key)
    report = event.asset_materialization.metadata if event and event.asset_materialization else {}
    pid = report.get("publication_id")
    if pid is None or str(pid.value) != publication_id:
        return run_summary.Kept(publication_id, published_at)
    html, summary = report.get("html"), report.get("summary")
    return run_summary.Kept(
        publication_id,
        published_at,
        report_html=str(html.value) if html is not None else None,
        report_summary=str(summary.value) if summary is not None else None,
    )


def summary_config(defs) -> run_summary.SummaryConfig:
    """Which assets the summary reads: the sources' values, the gap group, the publication and
    the report, as the definitions name them."""
    from orchestration.defs.assets.publish import published_marts, published_postgres
    from orchestration.defs.assets.report import followup_report
    from orchestration.defs.checks.metadata import GX_CHECK_SUFFIX
    from orchestration.defs.checks.raw import SOURCE_NAMES

    return run_summary.SummaryConfig(
        sources={f"raw_{source}_values": name for source, name in SOURCE_NAMES.items()},
        gap_assets=frozenset(
            spec.key.to_user_string()
            for spec in defs.resolve_all_asset_specs()
            if spec.group_name == "gaps"
        ),
        gx_check_suffix=GX_CHECK_SUFFIX,
        published_asset=published_marts.key.to_user_string(),
        postgres_asset=published_postgres.key.to_user_string(),
        report_asset=followup_report.key.to_user_string(),
        cwd=Path.cwd(),
    )


def print_failure(facts: run_summary.RunFacts, term: run_log.Terminal, log: Path | None) -> None:
    """The cause on stderr, then the log's last lines about errors and where the log is."""
    print("\nrus-pipeline: the run FAILED; the published marts were left untouched.", file=term.err)
    for line in run_summary.failure_lines(facts):
        print(f"  - {line}", file=term.err)
    if log is None:
        return
    excerpt = run_log.error_lines(run_log.read_log(log))
    if excerpt:
        print(f"Last lines about errors in {shown(log)}:", file=term.err)
        for line in excerpt:
            print(f"  | {line}", file=term.err)
    print(f"Full log: {shown(log)}", file=term.err, flush=True)


class _QuietSkippedChecks(logging.Filter):
    """Drops Dagster's warning, once per dbt test, that a check of a build the gate skipped
    emitted no result: every step it would gate is skipped as well."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result in step 'rus_dbt_models'" not in record.getMessage()


def run_report(year: int | None) -> int:
    """Write the follow-up report for ``year`` (default: latest) from the published file."""
    from orchestration.report.report import report_from_publication

    s = current_settings()
    files = report_from_publication(s.published_path, s.region_code, s.reports_dir, year)
    print(
        f"Follow-up report {files.year}: {files.html}\n  {files.markdown}\n  {files.charts} charts "
        f"(figures and CSV in {files.figures_dir}), {files.statements} statements, "
        f"{files.changes} status changes since {files.year - 1}\n{files.summary}"
    )
    return 0


def run_dev(port: int) -> int:
    s = current_settings()
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
        # The code location reads the same settings: the data directory as resolved here.
        env = {**os.environ, **dbt_variables(s)}
        # A session of its own: `dagster dev`, its webserver, daemon and code servers form one
        # process group, which is stopped whole (a code server would otherwise wait ~45 s for
        # its parent's heartbeat before it exits).
        proc = subprocess.Popen(cmd, env=env, start_new_session=True)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return stop_session(proc)


def stop_session(proc: subprocess.Popen, grace_s: float = 20.0) -> int:
    """Stop ``proc``'s process group (it leads its own session) as Ctrl-C in a terminal does,
    SIGINT to every process of it; then SIGTERM to what is left, and SIGKILL after ``grace_s``."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        code = None
    deadline = time.monotonic() + grace_s
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _group_alive(proc):
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        while time.monotonic() < deadline and _group_alive(proc):
            time.sleep(0.2)
    return code if code is not None else proc.wait()


def _group_alive(leader: subprocess.Popen) -> bool:
    """Whether any process of ``leader``'s group runs (the leader reaped when it has exited)."""
    leader.poll()
    try:
        os.killpg(leader.pid, 0)
    except ProcessLookupError:
        return False
    return True


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
    run.add_argument(
        "--verbose",
        action="store_true",
        help="show Dagster's logs, dbt's lines and warnings here instead of in data/logs/",
    )
    report = sub.add_parser("report", help="write data/reports/uppfoljning_<year>.html and .md")
    report.add_argument("--year", type=int, default=None, help="assessment year (default: latest)")
    dev = sub.add_parser("dev", help="dagster dev with the replay server")
    dev.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # clean up the replay server on `kill`
    try:
        if args.command == "run":
            return run_main_job(
                full_refresh=args.full_refresh, rebuild=args.rebuild, verbose=args.verbose
            )
        if args.command == "report":
            return run_report(args.year)
        return run_dev(args.port)
    except (ValueError, RuntimeError, FileNotFoundError) as exc:
        print(f"rus-pipeline: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
