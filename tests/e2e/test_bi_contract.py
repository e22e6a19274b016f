"""What a BI user finds in the publication: a comment on every table and column (DuckDB and
PostgreSQL, from the one place each description lives), a data dictionary that matches it, and
"the latest year" of each indicator as a column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from orchestration.publish.data_dictionary import DICTIONARY_PATH, render_dictionary
from orchestration.publish.publication import PUBLISHED_TABLES
from orchestration.publish.schema import (
    GAP_TABLES,
    PUBLICATION_ID_DESCRIPTION,
    PUBLICATIONS_COLUMNS,
)
from tests.e2e.pipeline import FIRST_RUN_DATABASE
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD


def published(first_run) -> Path:
    return first_run[0] / "published" / "rus.duckdb"


def comments(db: Path) -> tuple[dict[str, str | None], dict[tuple[str, str], str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        )
        columns = {
            (t, c): d
            for t, c, d in con.execute(
                "select table_name, column_name, comment from duckdb_columns() "
                "where schema_name = 'main' and not internal"
            ).fetchall()
        }
    finally:
        con.close()
    return tables, columns


def test_every_published_table_and_column_has_its_description(first_run):
    tables, columns = comments(published(first_run))
    assert set(tables) == {t for _, t in PUBLISHED_TABLES} | {"publications"}
    assert [t for t, d in tables.items() if not d] == []
    assert [k for k, d in columns.items() if not d] == []
    # The gap tables say what orchestration/gap_method/schema.py says, word for word.
    for table, (description, described) in GAP_TABLES.items():
        assert tables[table] == description
        for column, text in described.items():
            assert columns[(table, column)] == text, (table, column)
    assert columns[("publications", "row_counts")] == PUBLICATIONS_COLUMNS["row_counts"]
    assert columns[("dim_indicator", "publication_id")] == PUBLICATION_ID_DESCRIPTION
    # The sign convention a first "furthest from target" query needs is where BI tools show it.
    assert "sort ascending" in columns[("gap_indicator_annual", "distance_to_target")]


def test_postgresql_carries_the_same_comments(first_run, postgres_server):
    tables, columns = comments(published(first_run))
    proc = postgres_server.psql(
        "select c.relname, coalesce(a.attname, ''), d.description "
        "from pg_description d join pg_class c on c.oid = d.objoid "
        "join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'rus' "
        "left join pg_attribute a on a.attrelid = c.oid and a.attnum = d.objsubid "
        "where d.classoid = 'pg_class'::regclass",
        SUPERUSER,
        SUPERUSER_PASSWORD,
        FIRST_RUN_DATABASE,
    )
    assert proc.returncode == 0, proc.stderr
    pg: dict[tuple[str, str], str] = {}
    for line in proc.stdout.splitlines():
        table, column, text = line.split("\t")
        pg[(table, column)] = text
    assert {t: pg.get((t, "")) for t in tables} == tables
    assert {k: pg.get(k) for k in columns} == columns


def test_the_data_dictionary_is_current(first_run):
    """docs/data-dictionary.md is what `python -m orchestration.publish.data_dictionary --write`
    makes of this publication: change a description where it lives, then regenerate."""
    assert DICTIONARY_PATH.read_text(encoding="utf-8") == render_dictionary(published(first_run)), (
        "docs/data-dictionary.md is stale: run "
        "`python -m orchestration.publish.data_dictionary --write` after `make run`"
    )


def test_the_latest_year_per_level_is_a_column_of_dim_indicator(first_run):
    con = duckdb.connect(str(published(first_run)), read_only=True)
    try:
        dim = con.execute(
            "select indicator_id, latest_year_riket, latest_year_lan, latest_year_kommun "
            "from dim_indicator"
        ).df()
        values = con.execute(
            "select v.indicator_id, v.year, g.level, g.is_region, g.is_region_kommun "
            "from fct_indicator_value v join dim_geography g using (geography_code) "
            "where v.sex = 'T'"
        ).df()
        n_kommuner = con.execute(
            "select count(*) from dim_geography where is_region_kommun"
        ).fetchone()[0]
    finally:
        con.close()
    riket = values[values["level"] == "riket"].groupby("indicator_id")["year"].max()
    county = values[values["is_region"]].groupby("indicator_id")["year"].max()
    per_year = values[values["is_region_kommun"]].groupby(["indicator_id", "year"]).size()
    kommun = per_year[per_year * 2 >= n_kommuner].reset_index().groupby("indicator_id")["year"]
    expected = pd.DataFrame(
        {
            "latest_year_riket": riket,
            "latest_year_lan": county,
            "latest_year_kommun": kommun.max(),
        }
    ).reindex(dim["indicator_id"])
    got = dim.set_index("indicator_id")
    for column in expected.columns:
        assert got[column].astype("Int64").equals(expected[column].astype("Int64")), column
    # The trap the column removes: one kommun's early value makes max(year) a year the
    # region's kommuner (and the county) do not have yet.
    stray = values[values["is_region_kommun"]].groupby("indicator_id")["year"].max()
    moved = stray[stray > got["latest_year_kommun"].reindex(stray.index).fillna(9999)]
    assert not moved.empty, "expected the real data's early kommun values (2023, one kommun)"
