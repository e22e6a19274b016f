"""The dbt unit tests (``unit_tests:`` in the models' yml) run and pass, every one declared.

dbt reads the column types of a unit test's inputs from the warehouse, so the models they test
and their parents are built, empty (``dbt build --empty``: only their columns matter), on a
throwaway warehouse whose sources are one small accepted raw load per source landed from the
replay server. ``dbt build`` runs each model's unit tests, on their own fixtures, before building
the model; the names that ran are read back from run_results.json, so a declared unit test that
did not run fails the test as surely as one that failed.
"""

from __future__ import annotations

import json

import pytest
import yaml

from ingest.catalogue import read_indicators
from ingest.kolada.load import run_load as land_kolada
from ingest.landing import RawLanding
from ingest.pxweb.load import run_load as land_scb
from orchestration.runtime.layout import RAW_DIR
from tests.conftest import REPO_ROOT
from tests.dbt import run_dbt

pytestmark = pytest.mark.integration

PROJECT = REPO_ROOT / "dbt_project"
PG_NAME_LIMIT = 63  # PostgreSQL's NAMEDATALEN − 1


def declared_unit_tests() -> dict[str, str]:
    """Every unit test declared in the project's yml: name → the model it tests."""
    declared: dict[str, str] = {}
    for path in sorted((PROJECT / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for test in document.get("unit_tests") or []:
            assert test["name"] not in declared, f"unit test {test['name']} declared twice"
            declared[test["name"]] = test["model"]
    return declared


def test_every_unit_test_name_fits_a_postgresql_identifier():
    # dbt names a relation after each unit test, and the pg target (make dbt-pg) runs them too:
    # PostgreSQL refuses a name over 63 bytes, which fails that test and skips its model.
    too_long = [name for name in declared_unit_tests() if len(name.encode()) > PG_NAME_LIMIT]
    assert too_long == []


def one_series(source: str) -> str:
    return next(i.source_series_id for i in read_indicators() if i.source == source)


def test_every_declared_dbt_unit_test_runs_and_passes(
    kolada_config, scb_config, fast_http, tmp_path
):
    declared = declared_unit_tests()
    tested = sorted(set(declared.values()))
    assert {
        "int_indicator_values__accepted",
        "int_indicator_values__ratios",
        "int_value_revisions__detected",
        "fct_indicator_value",
        "mart_area_indicators",
    } <= set(tested)

    data_dir = tmp_path / "data"
    raw = data_dir / RAW_DIR
    kolada = land_kolada(
        [one_series("kolada")], ["0020"], [2020], raw, kolada=kolada_config, http=fast_http
    )
    scb = land_scb([one_series("scb")], ["0020"], [2020], raw, config=scb_config, http=fast_http)
    for source, load in (("kolada", kolada), ("scb", scb)):  # as the blocking check records it
        RawLanding(raw, source).record_validation(load.load_id, {"success": True, "suite": "test"})

    target = tmp_path / "target"
    proc = run_dbt(
        PROJECT,
        data_dir,
        target,
        *("build", "--empty", "--select", " ".join(f"+{model}" for model in tested)),
        *("--exclude-resource-type", "test"),  # the data tests need real rows
        *("--log-path", str(tmp_path / "logs")),
    )
    out = proc.stdout + proc.stderr
    run_results = target / "run_results.json"
    assert run_results.exists(), out[-3000:]
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    unit = {
        r["unique_id"].split(".")[-1]: r["status"]
        for r in results
        if r["unique_id"].startswith("unit_test.")
    }
    not_run = sorted(set(declared) - set(unit))
    assert not_run == [], out[-3000:]
    assert sorted(unit) == sorted(declared), out[-3000:]
    failed = {name: status for name, status in unit.items() if status != "pass"}
    assert failed == {}, out[-5000:]
    assert proc.returncode == 0, out[-3000:]
