"""What `make run` prints when the run ends: a few lines per stage, read from the Dagster run's
events (materialization metadata, check evaluations, skipped and failed steps), its tags and what
the change gate left published. Nothing is recomputed or counted again here.

No Dagster imports: :func:`collect` reads Dagster's event objects by their attributes into
:class:`RunFacts`, and every other function takes plain values (the unit tests build them by
hand). The configuration (which assets are the sources, the gap tables, the publication and the
report) is handed in as a :class:`SummaryConfig`.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.runtime.change_gate import CONFIRMED_CURRENT

INDENT = "  "
LABEL_WIDTH = 9  # the stage column: fetch, checks, dbt, gaps, publish, report
WIDTH = 100  # wrap long lists (gap tables, the skip reason) at this many columns


@dataclass(frozen=True)
class CheckResult:
    """One asset check evaluation of the run (a GX check, or a dbt test)."""

    asset: str
    name: str
    passed: bool
    severity: str  # "ERROR" (blocking) or "WARN"
    metadata: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RunFacts:
    """What one run did, as its events say (metadata values unwrapped to plain values)."""

    run_id: str
    success: bool
    materialized: Mapping[str, Mapping[str, object]] = field(
        default_factory=dict
    )  # asset → metadata
    confirmed: frozenset[str] = frozenset()  # assets confirmed current on a skipped night
    observations: tuple[tuple[str, Mapping[str, object]], ...] = ()
    planned_checks: frozenset[tuple[str, str]] = frozenset()  # (asset, check) the run meant to run
    checks: tuple[CheckResult, ...] = ()
    steps_started: int = 0
    skipped_steps: frozenset[str] = frozenset()
    errors: tuple[str, ...] = ()  # failed steps and resources, with their cause
    skip_reason: str | None = None  # the change gate's, when it skipped the build


@dataclass(frozen=True)
class Kept:
    """On a night the change gate skipped: the publication that stays (from the published file)
    and the report written from it (its latest materialization), when known."""

    publication_id: str
    published_at: str  # UTC, as the publications table holds it
    report_html: str | None = None
    report_summary: str | None = None


@dataclass(frozen=True)
class SummaryConfig:
    """Which assets the summary reads, and how paths are shown."""

    sources: Mapping[str, str]  # values asset → source name, e.g. raw_kolada_values → Kolada
    gap_assets: frozenset[str]
    gx_check_suffix: str
    published_asset: str
    postgres_asset: str
    report_asset: str
    cwd: Path | None = None  # paths under it are shown relative to it


def _plain(metadata: Mapping[str, object]) -> dict[str, object]:
    return {k: getattr(v, "value", v) for k, v in metadata.items()}


def _key(asset_key: object) -> str:
    return asset_key.to_user_string()  # type: ignore[attr-defined]


def _first_line(error: object | None) -> str:
    message = getattr(error, "message", "") or ""
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _step_name(step: str, assets: list[str]) -> str:
    """A step, with the assets it materializes (up to three by name)."""
    if not assets or assets == [step]:
        return f"step {step}"
    if len(assets) > 3:
        return f"step {step} ({len(assets)} assets)"
    return f"step {step} ({', '.join(assets)})"


def _error_text(event: object, step_assets: Mapping[str, list[str]]) -> str | None:
    """A failed step (named with its assets) or resource, with its cause (the innermost error for
    a resource: e.g. the run lock's); None for any other event."""
    kind = event.event_type_value  # type: ignore[attr-defined]
    if kind == "RESOURCE_INIT_FAILURE":
        data = event.engine_event_data  # type: ignore[attr-defined]
        err = data.error if data else None
        while err is not None and err.cause is not None:
            err = err.cause
        return f"the run could not start: {_first_line(err)}"
    if kind == "STEP_FAILURE":
        err = event.step_failure_data.error  # type: ignore[attr-defined]
        cause = _first_line(err.cause) if err is not None and err.cause is not None else ""
        step = event.step_key  # type: ignore[attr-defined]
        text = f"{_step_name(step, step_assets.get(step, []))} failed: {_first_line(err)}"
        return text + (f" (cause: {cause})" if cause else "")
    return None


def collect(
    events: Iterable[object], run_id: str, success: bool, skip_reason: str | None = None
) -> RunFacts:
    """The facts of a run from its Dagster events (its event log, in order)."""
    materialized: dict[str, Mapping[str, object]] = {}
    confirmed: set[str] = set()
    observations, checks, failures = [], [], []
    planned: set[tuple[str, str]] = set()
    step_assets: dict[str, list[str]] = {}
    skipped: set[str] = set()
    started = 0
    for event in events:
        kind, data = event.event_type_value, event.event_specific_data  # type: ignore[attr-defined]
        if kind == "ASSET_MATERIALIZATION":
            m = data.materialization
            if CONFIRMED_CURRENT in m.metadata:  # not rebuilt: its metadata is the last build's
                confirmed.add(_key(m.asset_key))
            else:
                materialized[_key(m.asset_key)] = _plain(m.metadata)
        elif kind == "ASSET_OBSERVATION":
            o = data.asset_observation
            observations.append((_key(o.asset_key), _plain(o.metadata)))
        elif kind == "ASSET_MATERIALIZATION_PLANNED":
            step_assets.setdefault(event.step_key, []).append(_key(data.asset_key))  # type: ignore[attr-defined]
        elif kind == "ASSET_CHECK_EVALUATION_PLANNED":
            planned.add((_key(data.asset_key), data.check_name))
        elif kind == "ASSET_CHECK_EVALUATION":
            severity = str(getattr(data.severity, "value", data.severity))
            checks.append(
                CheckResult(
                    _key(data.asset_key),
                    data.check_name,
                    data.passed,
                    severity,
                    _plain(data.metadata),
                )
            )
        elif kind == "STEP_START":
            started += 1
        elif kind == "STEP_SKIPPED":
            skipped.add(event.step_key)  # type: ignore[attr-defined]
        elif kind in ("STEP_FAILURE", "RESOURCE_INIT_FAILURE"):
            failures.append(event)
    errors = [text for text in (_error_text(e, step_assets) for e in failures) if text]
    return RunFacts(
        run_id=run_id,
        success=success,
        materialized=materialized,
        confirmed=frozenset(confirmed),
        observations=tuple(observations),
        planned_checks=frozenset(planned),
        checks=tuple(checks),
        steps_started=started,
        skipped_steps=frozenset(skipped),
        errors=tuple(errors),
        skip_reason=skip_reason,
    )


def shown(path: object, cwd: Path | None) -> str:
    """``path`` relative to ``cwd`` when it lies under it, else as given."""
    p = Path(str(path))
    if cwd is not None and p.is_absolute():
        try:
            return str(p.relative_to(cwd))
        except ValueError:
            pass
    return str(p)


def _stage(label: str, lines: list[str]) -> list[str]:
    """``label`` in the stage column on the first line, the others indented under it."""
    return [
        f"{INDENT}{(label if i == 0 else ''):<{LABEL_WIDTH}}{line}" for i, line in enumerate(lines)
    ]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(INDENT) - LABEL_WIDTH, break_on_hyphens=False)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _count(metadata: Mapping[str, object], key: str) -> int:
    return int(metadata.get(key) or 0)


def fetch_lines(facts: RunFacts, config: SummaryConfig) -> list[str]:
    """Per source: values fetched, and how many were new, changed and deleted (load metadata)."""
    width = max((len(name) for name in config.sources.values()), default=0)
    lines = []
    for asset, name in config.sources.items():
        meta = facts.materialized.get(asset)
        if meta is None:
            lines.append(f"{name:<{width}}  nothing landed")
            continue
        mode = str(meta.get("mode") or "full")
        since = meta.get("from_date")
        how = f"{mode} since {since}" if mode == "incremental" and since else mode
        fetched = _plural(_count(meta, "fetched_rows"), "value")
        lines.append(
            f"{name:<{width}}  {fetched:>12} fetched ({how}): "
            f"{_count(meta, 'new_rows')} new, {_count(meta, 'changed_rows')} changed, "
            f"{_count(meta, 'deleted_rows')} deleted"
        )
    return _stage("fetch", lines)


def check_lines(facts: RunFacts, config: SummaryConfig) -> list[str]:
    """The blocking Great Expectations checks: passed, failed and not run (skipped with the
    build, or after a failure)."""
    suffix = config.gx_check_suffix
    ran = [c for c in facts.checks if c.name.endswith(suffix)]
    planned = {c for c in facts.planned_checks if c[1].endswith(suffix)}
    total = max(len(planned), len(ran))
    failed = [c for c in ran if not c.passed]
    text = (
        f"{total} blocking Great Expectations checks: {len(ran) - len(failed)} passed, "
        f"{len(failed)} failed"
    )
    if total > len(ran):
        why = " (the build was skipped)" if facts.skip_reason else ""
        text += f", {total - len(ran)} not run{why}"
    return _stage("checks", [text, *(f"failed: {c.name}" for c in failed)])


def _dbt_tests(facts: RunFacts) -> dict[str, tuple[str, Mapping[str, object]]]:
    """dbt test → (status, metadata), from the test's check evaluation or, for a test on several
    models (which dagster-dbt logs as observations, one per model), its first observation."""
    tests: dict[str, tuple[str, Mapping[str, object]]] = {}
    found = [(c.metadata, c.name) for c in facts.checks]
    found += [(meta, "") for _, meta in facts.observations]
    for meta, name in found:
        unique_id = str(meta.get("unique_id") or "")
        if unique_id.startswith("test.") and unique_id not in tests:
            status = str(meta.get("status") or "")
            tests[unique_id] = (status, {**meta, "name": name or unique_id.split(".")[-1]})
    return tests


def dbt_lines(facts: RunFacts) -> list[str]:
    """dbt models and seeds built, and its tests passed, warned and failed (dagster-dbt's
    events: each node's ``unique_id`` and ``status``)."""
    if facts.skip_reason:
        return _stage("dbt", ["skipped: nothing changed since the publication (see below)"])
    built = Counter(
        str(meta.get("unique_id", "")).split(".")[0] for meta in facts.materialized.values()
    )
    tests = _dbt_tests(facts)
    if not built["model"] and not built["seed"] and not tests:
        return _stage("dbt", ["not run"])
    statuses = Counter(status for status, _ in tests.values())
    failed = statuses["fail"] + statuses["error"]
    lines = [
        f"{_plural(built['model'], 'model')} and {_plural(built['seed'], 'seed')} built; "
        f"{_plural(len(tests), 'test')}: {statuses['pass']} passed, {statuses['warn']} warned, "
        f"{failed} failed"
    ]
    for label, wanted in (("warned", {"warn"}), ("failed", {"fail", "error"})):
        for status, meta in tests.values():
            if status in wanted:
                rows = meta.get("dagster_dbt/failed_row_count")
                lines.append(f"{label}: {meta['name']}" + (f" ({rows} rows)" if rows else ""))
    return _stage("dbt", lines)


def gap_lines(facts: RunFacts, config: SummaryConfig) -> list[str]:
    """Rows written per gap table (their materialization metadata)."""
    rows = {
        asset: _count(meta, "rows")
        for asset, meta in facts.materialized.items()
        if asset in config.gap_assets
    }
    if not rows:
        return _stage("gaps", ["skipped: unchanged" if facts.skip_reason else "not written"])
    detail = ", ".join(f"{asset} {n}" for asset, n in rows.items())
    written = f"{_plural(sum(rows.values()), 'row')} written to {_plural(len(rows), 'table')}"
    return _stage("gaps", [written, *_wrapped(detail)])


def publish_lines(facts: RunFacts, config: SummaryConfig, kept: Kept | None) -> list[str]:
    """Published N tables, or the publication kept on a night with nothing new, or nothing."""
    meta = facts.materialized.get(config.published_asset)
    if meta is not None:
        tables = [k for k in meta if k.startswith("rows.")]
        lines = [
            f"published {len(tables)} tables to {shown(meta.get('path'), config.cwd)} "
            f"(publication {meta.get('publication_id')})"
        ]
        if _count(meta, "revised_values"):
            revised = _plural(_count(meta, "revised_values"), "value")
            lines.append(f"{revised} revised by the newest loads")
        pg = facts.materialized.get(config.postgres_asset)
        if pg is not None:
            lines.append(f"and to PostgreSQL {pg.get('server')}, schema {pg.get('schema')}")
        return _stage("publish", lines)
    if facts.skip_reason and kept is not None:
        return _stage(
            "publish",
            [
                f"unchanged — the publication of {kept.published_at} UTC is kept "
                f"({kept.publication_id})",
                *_wrapped(f"why: {facts.skip_reason}."),
                "make run REBUILD=1 rebuilds anyway",
            ],
        )
    return _stage("publish", ["nothing published: the published files are as they were"])


def report_lines(facts: RunFacts, config: SummaryConfig, kept: Kept | None) -> list[str]:
    """The report's path, then its real-value line as it stands (not indented)."""
    meta = facts.materialized.get(config.report_asset)
    if meta is not None:
        html, summary = meta.get("html"), meta.get("summary")
        lines = _stage("report", [f"{shown(html, config.cwd)} (and .md)"])
    elif facts.skip_reason and kept is not None and kept.report_html:
        html, summary = kept.report_html, kept.report_summary
        lines = _stage("report", [f"unchanged: {shown(html, config.cwd)}"])
    else:
        return _stage("report", ["not written"])
    return [*lines, *([str(summary)] if summary else [])]


def report_summary(facts: RunFacts, report_asset: str) -> str | None:
    """The report's real-value line ("<län> <year>: N bedömningar, …") from the run's
    materialization of ``report_asset``; None when the run wrote no report."""
    summary = facts.materialized.get(report_asset, {}).get("summary")
    return str(summary) if summary is not None else None


def summary_lines(
    facts: RunFacts, config: SummaryConfig, elapsed_s: float, kept: Kept | None = None
) -> list[str]:
    """The whole summary: a heading with the run's outcome, then one block per stage (none when
    no step started, e.g. a run refused by the run lock)."""
    outcome = "succeeded" if facts.success else "FAILED"
    lines = [f"Run {facts.run_id[:8]} {outcome} in {elapsed_s:.0f} s"]
    if facts.steps_started:
        lines += [
            *fetch_lines(facts, config),
            *check_lines(facts, config),
            *dbt_lines(facts),
            *gap_lines(facts, config),
            *publish_lines(facts, config, kept),
            *report_lines(facts, config, kept),
        ]
    return lines


def failure_lines(facts: RunFacts) -> list[str]:
    """Why the run failed: each failed blocking check (with its failed expectations, or the dbt
    test's failing rows) and each failed step or resource with its cause."""
    lines = []
    for check in facts.checks:
        if not check.passed and check.severity == "ERROR":
            rows = check.metadata.get("dagster_dbt/failed_row_count")
            cause = check.metadata.get("failures") or (f"{rows} failing rows" if rows else "")
            lines.append(f"check {check.name} on {check.asset} failed: {cause or 'check failed'}")
    lines += facts.errors
    return lines or ["the run failed without a step failure event; see the Dagster UI (make dev)"]
