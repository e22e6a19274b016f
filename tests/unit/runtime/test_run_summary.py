"""What `make run` prints per stage, from small hand-made run facts (runtime/run_summary)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from orchestration.runtime.run_summary import (
    CheckResult,
    Kept,
    RunFacts,
    SummaryConfig,
    collect,
    failure_lines,
    report_summary,
    summary_lines,
)

CWD = Path("/repo")
CONFIG = SummaryConfig(
    sources={"raw_kolada_values": "Kolada", "raw_scb_values": "SCB"},
    gap_assets=frozenset({"gap_indicator_annual", "gap_statements"}),
    gx_check_suffix="__gx",
    published_asset="published_marts",
    postgres_asset="published_postgres",
    report_asset="followup_report",
    cwd=CWD,
)
REAL_VALUES = "Örebro län 2022: 37 bedömningar, 100 % på enbart verkliga värden (r.html)"
GX = ("raw_kolada_values", "raw_scb_values", "fct_indicator_value", "gap_indicator_annual")
PLANNED = frozenset((asset, f"{asset}__gx") for asset in GX)


def loads(kolada: dict[str, object] | None = None) -> dict[str, dict[str, object]]:
    counts = {"fetched_rows": 24351, "new_rows": 24351, "changed_rows": 0, "deleted_rows": 0}
    return {
        "raw_kolada_values": {**counts, "mode": "full", "from_date": "", **(kolada or {})},
        "raw_scb_values": {"fetched_rows": 687, "new_rows": 5, "changed_rows": 2,
                           "deleted_rows": 1, "mode": "full"},
    }  # fmt: skip


def dbt_node(kind: str, name: str) -> dict[str, object]:
    return {"unique_id": f"{kind}.rus.{name}", "status": "success"}


def dbt_test(name: str, status: str, rows: int = 0) -> CheckResult:
    meta = {"unique_id": f"test.rus.{name}", "status": status, "dagster_dbt/failed_row_count": rows}
    passed = status == "pass"
    return CheckResult(
        "fct_indicator_value", name, passed, "WARN" if status == "warn" else "ERROR", meta
    )


def gx(asset: str, passed: bool = True, failures: str = "none") -> CheckResult:
    return CheckResult(
        asset, f"{asset}__gx", passed, "ERROR", {"suite": asset, "failures": failures}
    )


def full_run() -> RunFacts:
    materialized = {
        **loads(),
        "stg_kolada__values": dbt_node("model", "stg_kolada__values"),
        "fct_indicator_value": dbt_node("model", "fct_indicator_value"),
        "geographies": dbt_node("seed", "geographies"),
        "gap_indicator_annual": {"rows": 12453, "method_version": "0.2.1"},
        "gap_statements": {"rows": 7152},
        "published_marts": {
            "publication_id": "20261205T0901Z-a86108",
            "path": "/repo/data/published/rus.duckdb",
            "revised_values": 0,
            "rows.fct_indicator_value": 25032,
            "rows.gap_indicator_annual": 12453,
            "rows.gap_statements": 7152,
        },
        "followup_report": {
            "html": "/repo/data/reports/uppfoljning_2022.html",
            "summary": REAL_VALUES,
        },
    }
    checks = (
        *(gx(asset) for asset in GX),
        dbt_test("not_null_fct_indicator_value_year", "pass"),
        dbt_test("assert_no_source_is_overdue", "warn", rows=22),
    )
    # A singular test on several models: one observation per model, counted once.
    singular = {"unique_id": "test.rus.assert_region_is_a_lan", "status": "pass"}
    return RunFacts(
        run_id="0eb6844e-9872-417d-93a7-be94c651a31a",
        success=True,
        materialized=materialized,
        observations=(("geographies", singular), ("rus_strategy", singular)),
        planned_checks=PLANNED,
        checks=checks,
        steps_started=20,
    )


def test_a_full_run_says_what_each_stage_did():
    lines = summary_lines(full_run(), CONFIG, elapsed_s=41.2)
    text = "\n".join(lines)
    assert lines[0] == "Run 0eb6844e succeeded in 41 s"
    assert "Kolada  24351 values fetched (full): 24351 new, 0 changed, 0 deleted" in text
    assert "SCB       687 values fetched (full): 5 new, 2 changed, 1 deleted" in text
    assert "checks   4 blocking Great Expectations checks: 4 passed, 0 failed" in text
    assert "dbt      2 models and 1 seed built; 3 tests: 2 passed, 1 warned, 0 failed" in text
    assert "warned: assert_no_source_is_overdue (22 rows)" in text
    assert "gaps     19605 rows written to 2 tables" in text
    assert "gap_indicator_annual 12453, gap_statements 7152" in text
    published = (
        "published 3 tables to data/published/rus.duckdb (publication 20261205T0901Z-a86108)"
    )
    assert f"publish  {published}" in text
    assert "report   data/reports/uppfoljning_2022.html (and .md)" in text
    assert lines[-1] == REAL_VALUES  # the report's own line, as it stands
    assert "unchanged" not in text and "PostgreSQL" not in text
    assert 10 <= len(lines) <= 20


def test_an_incremental_fetch_says_since_when_and_one_value_is_one():
    facts = RunFacts(
        run_id="r" * 36,
        success=True,
        materialized=loads({"mode": "incremental", "from_date": "2026-12-04", "fetched_rows": 1}),
        steps_started=3,
    )
    text = "\n".join(summary_lines(facts, CONFIG, 5))
    assert "Kolada       1 value fetched (incremental since 2026-12-04)" in text


def test_a_night_with_nothing_new_keeps_the_publication_and_says_when_it_was_made():
    reason = "inputs unchanged since publication P1 (2026-12-05 09:08:40 UTC): nothing new"
    facts = RunFacts(
        run_id="9acbef19-f285-4bf9-94e8-272199c06398",
        success=True,
        materialized=loads({"fetched_rows": 0, "new_rows": 0}),
        planned_checks=PLANNED,
        checks=(gx("raw_kolada_values"), gx("raw_scb_values")),
        steps_started=5,
        skipped_steps=frozenset({"published_marts", "followup_report"}),
        skip_reason=reason,
    )
    kept = Kept(
        "P1", "2026-12-05 09:08:40", "/repo/data/reports/uppfoljning_2022.html", REAL_VALUES
    )
    lines = summary_lines(facts, CONFIG, 7, kept)
    text = "\n".join(lines)
    assert "publish  unchanged — the publication of 2026-12-05 09:08:40 UTC is kept (P1)" in text
    assert f"why: {reason}." in text and "make run REBUILD=1 rebuilds anyway" in text
    assert "published" not in text.replace("publication", "")
    assert "4 blocking Great Expectations checks: 2 passed, 0 failed, 2 not run (the build" in text
    assert "dbt      skipped" in text and "gaps     skipped: unchanged" in text
    assert "report   unchanged: data/reports/uppfoljning_2022.html" in text
    assert lines[-1] == REAL_VALUES


def test_a_failed_check_is_named_with_its_failed_expectations():
    failures = "expect_column_values_to_be_between on 'value': 1 unexpected; examples: [180.0]"
    facts = RunFacts(
        run_id="91a661a0-0000-0000-0000-000000000000",
        success=False,
        materialized=loads(),
        planned_checks=PLANNED,
        checks=(gx("raw_kolada_values", passed=False, failures=failures), gx("raw_scb_values")),
        steps_started=4,
        errors=("step raw_kolada_values_raw_kolada_values__gx failed: 1 blocking check failed",),
    )
    text = "\n".join(summary_lines(facts, CONFIG, 11))
    assert "Run 91a661a0 FAILED in 11 s" in text
    assert "1 passed, 1 failed, 2 not run\n" in text + "\n"
    assert "failed: raw_kolada_values__gx" in text
    assert "dbt      not run" in text and "gaps     not written" in text
    assert "publish  nothing published: the published files are as they were" in text
    assert failure_lines(facts) == [
        f"check raw_kolada_values__gx on raw_kolada_values failed: {failures}",
        "step raw_kolada_values_raw_kolada_values__gx failed: 1 blocking check failed",
    ]


def test_a_warned_dbt_test_is_no_failure_but_a_failed_one_is():
    facts = RunFacts(
        run_id="x" * 36,
        success=False,
        checks=(
            dbt_test("assert_no_source_is_overdue", "warn", 22),
            dbt_test("unique_x", "fail", 3),
        ),
    )
    assert failure_lines(facts) == ["check unique_x on fct_indicator_value failed: 3 failing rows"]
    assert failure_lines(RunFacts(run_id="y", success=False))[0].startswith(
        "the run failed without"
    )


def test_a_run_that_never_started_prints_only_its_outcome():
    facts = RunFacts(run_id="fe3d55cd-x", success=False, errors=("the run could not start: busy",))
    assert summary_lines(facts, CONFIG, 8) == ["Run fe3d55cd FAILED in 8 s"]


def test_a_postgresql_copy_and_revised_values_are_said():
    facts = full_run()
    materialized = {
        **facts.materialized,
        "published_marts": {**facts.materialized["published_marts"], "revised_values": 3},
        "published_postgres": {"server": "127.0.0.1:5432/rus", "schema": "rus"},
    }
    text = "\n".join(
        summary_lines(RunFacts(**{**facts.__dict__, "materialized": materialized}), CONFIG, 1)
    )
    assert "3 values revised by the newest loads" in text
    assert "and to PostgreSQL 127.0.0.1:5432/rus, schema rus" in text


def test_report_summary_is_the_reports_real_value_line():
    assert report_summary(full_run(), "followup_report") == REAL_VALUES
    assert report_summary(RunFacts(run_id="r", success=True), "followup_report") is None


def _event(kind: str, data: object = None, **fields) -> SimpleNamespace:
    return SimpleNamespace(event_type_value=kind, event_specific_data=data, **fields)


def _key(name: str) -> SimpleNamespace:
    return SimpleNamespace(to_user_string=lambda: name)


def _value(v: object) -> SimpleNamespace:
    return SimpleNamespace(value=v)  # as Dagster's MetadataValue


def test_collect_reads_dagsters_events_by_their_attributes():
    materialization = SimpleNamespace(
        asset_key=_key("raw_scb_values"), metadata={"rows": _value(3)}
    )
    evaluation = SimpleNamespace(
        asset_key=_key("raw_scb_values"),
        check_name="raw_scb_values__gx",
        passed=True,
        severity=SimpleNamespace(value="ERROR"),
        metadata={"failures": _value("none")},
    )
    planned = SimpleNamespace(asset_key=_key("raw_scb_values"), check_name="raw_scb_values__gx")
    error = SimpleNamespace(
        message="Boom: disk full\nmore", cause=SimpleNamespace(message="ENOSPC", cause=None)
    )
    lock = SimpleNamespace(
        message="wrapper", cause=SimpleNamespace(message="data is in use by run r1", cause=None)
    )
    no_field = SimpleNamespace(message="no field", cause=None)
    events = [
        _event("ASSET_MATERIALIZATION_PLANNED", SimpleNamespace(asset_key=_key("gap_statements")),
               step_key="gap_statements"),
        *(_event("ASSET_MATERIALIZATION_PLANNED", SimpleNamespace(asset_key=_key(asset)),
                 step_key="raw_scb") for asset in ("raw_scb_values", "raw_scb_loads")),
        _event("ASSET_CHECK_EVALUATION_PLANNED", planned),
        _event("STEP_START", step_key="raw_scb"),
        _event("ASSET_MATERIALIZATION", SimpleNamespace(materialization=materialization)),
        _event("ASSET_CHECK_EVALUATION", evaluation),
        _event("STEP_SKIPPED", step_key="published_marts"),
        _event("STEP_FAILURE", step_key="gap_statements",
               step_failure_data=SimpleNamespace(error=error)),
        _event("STEP_FAILURE", step_key="raw_scb",
               step_failure_data=SimpleNamespace(error=no_field)),
        _event("RESOURCE_INIT_FAILURE", engine_event_data=SimpleNamespace(error=lock)),
    ]  # fmt: skip
    facts = collect(events, "run-1", False, skip_reason=None)
    assert facts.materialized == {"raw_scb_values": {"rows": 3}}
    assert facts.checks == (
        CheckResult("raw_scb_values", "raw_scb_values__gx", True, "ERROR", {"failures": "none"}),
    )
    assert facts.planned_checks == {("raw_scb_values", "raw_scb_values__gx")}
    assert facts.steps_started == 1 and facts.skipped_steps == {"published_marts"}
    assert facts.errors == (
        "step gap_statements failed: Boom: disk full (cause: ENOSPC)",
        "step raw_scb (raw_scb_values, raw_scb_loads) failed: no field",
        "the run could not start: data is in use by run r1",
    )


def test_a_confirmation_on_a_skipped_night_is_not_counted_as_built_or_published():
    """The quiet night's materializations (defs/assets/dbt.py) carry the last build's metadata
    and ``confirmed_current``: the summary keeps saying the publication is kept."""
    confirmation = SimpleNamespace(
        asset_key=_key("published_marts"),
        metadata={"publication_id": _value("p1"), "confirmed_current": _value("unchanged")},
    )
    events = [
        _event("STEP_START", step_key="rus_dbt_models"),
        _event("ASSET_MATERIALIZATION", SimpleNamespace(materialization=confirmation)),
    ]
    facts = collect(events, "run-2", True, skip_reason="inputs unchanged")
    assert facts.materialized == {} and facts.confirmed == {"published_marts"}
    kept = Kept(publication_id="p1", published_at="2026-12-05 02:03:04")
    text = "\n".join(summary_lines(facts, CONFIG, 1, kept))
    assert "the publication of 2026-12-05 02:03:04 UTC is kept (p1)" in text
    assert "published " not in text
