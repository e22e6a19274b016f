"""Publishing writes a complete new publication or leaves the published one untouched."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from orchestration.publish.publication import publish


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.a as select range as x from range(3)")
    con.execute("create table marts.b as select 'k' as y")
    con.close()
    return path


def test_every_table_and_parquet_file_carries_one_publication_id(warehouse, tmp_path):
    out = tmp_path / "published"
    pub = publish(warehouse, out, (("marts", "a"), ("marts", "b")), lineage={"loads": ["L1"]})
    con = duckdb.connect(str(out / "rus.duckdb"), read_only=True)
    ids = {
        r[0]
        for t in ("a", "b", "publications")
        for r in con.execute(f"select distinct publication_id from {t}").fetchall()
    }
    assert ids == {pub.publication_id}
    assert pub.row_counts == {"a": 3, "b": 1}
    assert duckdb.sql(f"select count(*) from '{out}/parquet/a.parquet'").fetchall() == [(3,)]
    con.close()
    # Every table of the DuckDB file has its Parquet file, the publications table included.
    assert sorted(p.stem for p in (out / "parquet").iterdir()) == ["a", "b", "publications"]
    row = duckdb.sql(
        f"select publication_id, row_counts from '{out}/parquet/publications.parquet'"
    ).fetchall()
    assert row == [(pub.publication_id, '{"a": 3, "b": 1}')]


def test_a_failed_publication_leaves_the_published_files_untouched(warehouse, tmp_path):
    out = tmp_path / "published"
    first = publish(warehouse, out, (("marts", "a"),))
    before = hashlib.sha256((out / "rus.duckdb").read_bytes()).hexdigest()
    with pytest.raises(duckdb.CatalogException):
        publish(warehouse, out, (("marts", "a"), ("marts", "missing")))
    assert hashlib.sha256((out / "rus.duckdb").read_bytes()).hexdigest() == before
    assert (out / "parquet").resolve().name == f"parquet-{first.publication_id}"
    assert sorted(p.name for p in out.iterdir()) == [
        "parquet",
        f"parquet-{first.publication_id}",
        "rus.duckdb",
    ]


def test_old_parquet_publications_are_pruned_but_the_previous_one_is_kept(warehouse, tmp_path):
    out = tmp_path / "published"
    pubs = [publish(warehouse, out, (("marts", "b"),)) for _ in range(4)]
    kept = sorted(p.name for p in out.glob("parquet-*"))
    assert kept == sorted(f"parquet-{p.publication_id}" for p in pubs[-2:])
