"""The change gate: what counts as a changed input, and when a night may skip the rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from ingest.landing import RawLanding
from orchestration.publish.publication import publish
from orchestration.runtime.change_gate import (
    Fingerprint,
    Published,
    decide,
    inputs_fingerprint,
    read_publication,
)
from orchestration.runtime.settings import REPO_ROOT

KPIS = pa.table({"kpi_id": ["N1", "N2"], "title": ["A", "B"]})


def land(raw: Path, source: str, load_id: str, rows: int, kpis: pa.Table = KPIS) -> None:
    landing = RawLanding(raw, source)
    values = pa.table({"value": [1.0] * rows})
    tables = {"values": values}
    if source == "kolada":
        tables["kpis"] = kpis.append_column("load_id", pa.array([load_id] * kpis.num_rows))
    landing.land(load_id, tables, {"row_count": rows, "payload_sha256": f"sha-{load_id}"})
    landing.record_validation(load_id, {"success": True})


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository of the pipeline's shape: a dbt project and the code packages."""
    root = tmp_path / "repo"
    (root / "dbt_project" / "seeds").mkdir(parents=True)
    (root / "dbt_project" / "seeds" / "indicators.csv").write_text("indicator_id\nN1\n")
    (root / "dbt_project" / "target").mkdir()
    for package in ("orchestration", "expectations", "ingest"):
        (root / package).mkdir()
        (root / package / "__init__.py").write_text("")
    return root


@pytest.fixture
def raw(tmp_path) -> Path:
    raw = tmp_path / "raw"
    land(raw, "kolada", "20260101T000000Z-aaaaaa", 10)
    land(raw, "scb", "20260101T000001Z-bbbbbb", 5)
    return raw


def fingerprint(raw: Path, repo: Path, region: str = "18", first_year: int = 2010) -> Fingerprint:
    return inputs_fingerprint(raw, repo, region, first_year)


def test_an_empty_load_leaves_the_fingerprint_as_it_was(raw, repo):
    before = fingerprint(raw, repo)
    land(raw, "kolada", "20260102T000000Z-cccccc", 0)
    land(raw, "scb", "20260102T000001Z-dddddd", 0)
    assert fingerprint(raw, repo) == before


def test_a_load_with_values_changes_the_loads_part(raw, repo):
    before = fingerprint(raw, repo)
    land(raw, "scb", "20260102T000001Z-dddddd", 3)
    assert fingerprint(raw, repo).changed_parts(before) == ["loads"]


def test_a_changed_kpi_calendar_changes_the_loads_part_even_without_values(raw, repo):
    before = fingerprint(raw, repo)
    calendar = pa.table({"kpi_id": ["N1", "N2"], "title": ["A", "B, reviderad"]})
    land(raw, "kolada", "20260102T000000Z-cccccc", 0, kpis=calendar)
    assert fingerprint(raw, repo).changed_parts(before) == ["loads"]


def test_a_rejected_load_is_not_an_input(raw, repo):
    before = fingerprint(raw, repo)
    landing = RawLanding(raw, "scb")
    landing.land(
        "20260102T000001Z-eeeeee", {"values": pa.table({"value": [1.0]})}, {"row_count": 1}
    )
    landing.record_validation("20260102T000001Z-eeeeee", {"success": False})
    assert fingerprint(raw, repo) == before


@pytest.mark.parametrize(
    "edit, part",
    [
        (lambda r: (r / "dbt_project" / "seeds" / "indicators.csv").write_text("x\n"), "dbt"),
        (lambda r: (r / "orchestration" / "gap.py").write_text("X = 1\n"), "code"),
        (lambda r: (r / "ingest" / "__init__.py").write_text("# changed\n"), "code"),
    ],
)
def test_an_edited_project_file_changes_its_part(raw, repo, edit, part):
    before = fingerprint(raw, repo)
    edit(repo)
    assert fingerprint(raw, repo).changed_parts(before) == [part]


def test_build_output_and_caches_are_not_inputs(raw, repo):
    before = fingerprint(raw, repo)
    (repo / "dbt_project" / "target" / "manifest.json").write_text("{}")
    (repo / "orchestration" / "__pycache__").mkdir()
    (repo / "orchestration" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (repo / "dbt_project" / ".user.yml").write_text("id: 1\n")
    assert fingerprint(raw, repo) == before


def test_the_region_and_first_year_are_the_settings_part(raw, repo):
    before = fingerprint(raw, repo)
    assert fingerprint(raw, repo, region="20").changed_parts(before) == ["settings"]
    assert fingerprint(raw, repo, first_year=2005).changed_parts(before) == ["settings"]


def test_the_real_repository_gives_one_digest_per_part(tmp_path):
    fp = inputs_fingerprint(tmp_path / "raw", REPO_ROOT, "18", 2010)
    assert set(fp.parts) == {"loads", "dbt", "code", "settings"}
    assert Fingerprint.from_json(fp.to_json()) == fp


def published(fp: Fingerprint | None, report: str | None = "P1", pg: str | None = None):
    return Published(
        "P1", "2026-12-01 02:00:00", fp, report_publication=report, postgres_publication=pg
    )


def test_decide_skips_only_when_everything_written_from_the_publication_is_current(raw, repo):
    fp = fingerprint(raw, repo)
    assert decide(fp, published(fp), postgres_enabled=False).skip
    assert decide(fp, published(fp, pg="P1"), postgres_enabled=True).skip

    cases = {
        "nothing is published yet": decide(fp, None, False),
        "records no inputs fingerprint": decide(fp, published(None), False),
        "newest report was not written from publication P1": decide(
            fp, published(fp, report="P0"), False
        ),
        "PostgreSQL does not hold publication P1": decide(fp, published(fp, pg="P0"), True),
    }
    for words, decision in cases.items():
        assert not decision.skip
        assert words in decision.reason
    land(raw, "scb", "20260102T000001Z-dddddd", 3)
    changed = decide(fingerprint(raw, repo), published(fp), False)
    assert not changed.skip
    assert changed.reason == "inputs changed since publication P1: loads"


def test_a_fingerprint_of_another_shape_is_unknown_not_an_error():
    assert Fingerprint.from_json(None) is None
    assert Fingerprint.from_json('{"parts": {"loads": "x"}}') is None
    assert Fingerprint.from_json('"just a string"') is None


def test_the_publication_stores_the_fingerprint_the_gate_reads(raw, repo, tmp_path):
    import duckdb

    warehouse = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts; create table marts.t as select 1 as x")
    con.close()
    out = tmp_path / "published"
    assert read_publication(out / "rus.duckdb") is None
    fp = fingerprint(raw, repo)
    pub = publish(warehouse, out, (("marts", "t"),), inputs_fingerprint=fp.to_json())
    publication_id, _, stored = read_publication(pub.duckdb_path)
    assert (publication_id, stored) == (pub.publication_id, fp)
    # A publication from before fingerprints: known, without one.
    shutil.rmtree(out)
    pub = publish(warehouse, out, (("marts", "t"),))
    assert read_publication(pub.duckdb_path)[2] is None
