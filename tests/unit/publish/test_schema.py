"""The descriptions BI tools show: written once, copied as comments, generated into dbt."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.publish.data_dictionary import GAP_SOURCES_PATH, main, render_gap_sources
from orchestration.publish.schema import (
    PUBLICATION_ID_DESCRIPTION,
    comment_table,
    copy_comments,
    table_comments,
)


def test_comments_are_written_quoted_and_only_on_columns_that_exist():
    con = duckdb.connect()
    con.execute("create table t as select 1 as a, 'x' as b")
    comment_table(con, "t", "Kommunernas 'bästa' värde.", {"a": "It's a.", "missing": "Nope."})
    assert table_comments(con, "memory", "main", "t") == (
        "Kommunernas 'bästa' värde.",
        {"a": "It's a."},
    )


def test_copying_comments_describes_the_publication_id_the_publication_adds():
    con = duckdb.connect()
    con.execute("create table src as select 1 as a")
    con.execute("comment on table src is 'Source.'")
    con.execute("comment on column src.a is 'A.'")
    con.execute("create table dst as select 1 as a, 'p' as publication_id")
    copy_comments(con, ("memory", "main", "src"), ("memory", "main", "dst"))
    assert table_comments(con, "memory", "main", "dst") == (
        "Source.",
        {"a": "A.", "publication_id": PUBLICATION_ID_DESCRIPTION},
    )


def test_the_gap_tables_dbt_sources_are_generated_from_the_schema():
    assert GAP_SOURCES_PATH.read_text(encoding="utf-8") == render_gap_sources(), (
        "dbt_project/models/gaps/_gaps__sources.yml is stale: run "
        "`python -m orchestration.publish.data_dictionary --write`"
    )


def test_the_generator_names_a_missing_publication(tmp_path, capsys):
    assert main(["--check", "--published", str(tmp_path / "rus.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "rus.duckdb does not exist" in err and "make run" in err


def test_the_generator_needs_a_mode(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert "--write" in capsys.readouterr().err
