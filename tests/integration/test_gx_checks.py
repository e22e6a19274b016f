"""The Great Expectations checks in Dagster: the fetched-row-count band blocks a raw load, the
verdict is recorded, and every result is rendered into the Data Docs under the data dir."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pytest
from dagster_duckdb import DuckDBResource

from ingest.landing import KOLADA_VALUES_SCHEMA, RawLanding
from orchestration.defs.checks.marts import gap_indicator_annual__gx
from orchestration.defs.checks.metadata import gx_dir
from orchestration.defs.checks.raw import raw_kolada_values__gx
from orchestration.defs.resources import PipelinePaths

pytestmark = pytest.mark.integration
REQUEST = {"kpis": ["N01982"], "municipalities": ["0018"], "years": [2020], "from_date": None}


def one_value(load_id: str) -> pa.Table:
    """One well-formed value, so the load is judged by the whole GX suite (a load that landed
    no values is judged on its fetched row count alone, without Data Docs)."""
    row = {
        "load_id": load_id, "kpi_id": "N01982", "municipality_id": "0018", "year": 2020,
        "gender": "T", "value": 71.5, "count": 1, "status": None, "is_deleted": False,
        "is_synthetic": False, "provenance": "test",
    }  # fmt: skip
    return pa.Table.from_pylist([row], schema=KOLADA_VALUES_SCHEMA)


def land(data_dir: Path, load_id: str, fetched: int, accepted: bool | None = None) -> None:
    landing = RawLanding(data_dir / "raw", "kolada")
    manifest = {"mode": "full", "request": REQUEST, "changes": {"fetched_rows": fetched}}
    landing.land(load_id, {"values": one_value(load_id)}, manifest)
    if accepted is not None:
        landing.record_validation(load_id, {"success": accepted})


def run_check(data_dir: Path, asset: dg.AssetsDefinition, check, run_config=None):
    result = dg.materialize(
        [asset, check],
        resources={
            "paths": PipelinePaths(data_dir=str(data_dir)),
            "warehouse": DuckDBResource(database=str(data_dir / "warehouse.duckdb")),
        },
        run_config=run_config,
        raise_on_error=False,
    )
    (evaluation,) = result.get_asset_check_evaluations()
    return evaluation


def check(data_dir: Path, load_id: str, run_config: dict | None = None):
    """Materialize a stand-in raw_kolada_values that 'landed' ``load_id``, then its check."""

    @dg.asset(name="raw_kolada_values")
    def landed() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"load_id": load_id})

    return run_check(data_dir, landed, raw_kolada_values__gx, run_config)


def test_a_full_fetch_far_below_the_previous_one_is_blocked_and_documented(tmp_path):
    land(tmp_path, "L1", fetched=1000, accepted=True)
    land(tmp_path, "L2", fetched=100)

    evaluation = check(tmp_path, "L2")

    assert not evaluation.passed
    rule = "fetched row count within 0.5–2× of the previous full fetch (1000 rows, load L1)"
    assert rule in evaluation.metadata["failures"].value
    assert evaluation.metadata["failed_expectations"].value == [
        "expect_fetched_row_count_to_be_between"
    ]
    assert RawLanding(tmp_path / "raw", "kolada").accepted_loads() == ["L1"]
    page = Path(evaluation.metadata["data_docs_page"].value)
    assert page.is_file() and page.is_relative_to(gx_dir(tmp_path) / "data_docs")
    assert rule in page.read_text()
    index = Path(evaluation.metadata["data_docs_index"].value)
    assert index == gx_dir(tmp_path) / "data_docs" / "index.html" and index.is_file()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    audit = con.execute(
        "select target, rule, observed from audit.validation_results where not success"
    ).fetchall()
    con.close()
    assert audit == [("L2", rule, "100")]


def test_a_wider_band_for_one_run_accepts_a_source_that_really_shrank(tmp_path):
    land(tmp_path, "L1", fetched=1000, accepted=True)
    land(tmp_path, "L2", fetched=100)
    config = {"fetch_band_low": 0.05, "fetch_band_high": 2.0}
    op = "raw_kolada_values_raw_kolada_values__gx"

    evaluation = check(tmp_path, "L2", {"ops": {op: {"config": config}}})

    assert evaluation.passed
    assert RawLanding(tmp_path / "raw", "kolada").accepted_loads() == ["L1", "L2"]


def test_a_mart_check_renders_its_result_into_the_same_data_docs(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(
        "create schema gaps; create table gaps.gap_indicator_annual as select "
        "'N01982' indicator_id, '0018' geography_code, 'T' sex, 2024 assessment_year, "
        "'guessed' status, '?' status_label, '1' method_version"
    )
    con.close()

    @dg.asset(name="gap_indicator_annual")
    def gaps() -> None:
        return None

    evaluation = run_check(tmp_path, gaps, gap_indicator_annual__gx)

    assert not evaluation.passed
    page = Path(evaluation.metadata["data_docs_page"].value)
    assert page.is_relative_to(gx_dir(tmp_path) / "data_docs" / "validations")
    suite, run_name = page.relative_to(gx_dir(tmp_path) / "data_docs" / "validations").parts[:2]
    assert suite == "gap_indicator_annual"
    assert re.fullmatch(r"gaps\.gap_indicator_annual@[0-9a-f]{8}", run_name)
    assert "guessed" in page.read_text()
