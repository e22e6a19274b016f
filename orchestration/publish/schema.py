"""What the published tables mean, where BI tools look for it: table and column comments.

No Dagster imports. Each description lives in one place:

- the dbt marts: their yml (``dbt_project/models/marts/_marts__models.yml``); dbt writes them as
  comments on the warehouse tables (``persist_docs``);
- the gap tables: ``orchestration/gap_method/schema.py``; the gap assets write them as comments
  on the warehouse tables (:func:`comment_table`);
- the publication's own additions (``publication_id``, the ``publications`` table): here.

The publication copies every comment from the warehouse into ``rus.duckdb``
(:func:`copy_comments`), and the PostgreSQL target from ``rus.duckdb``
(``orchestration/publish/postgres.py``), so the three always say the same.
"""

from __future__ import annotations

import duckdb

from orchestration.gap_method.schema import (
    COLUMN_DESCRIPTIONS,
    GAP_TABLE_DESCRIPTIONS,
    INDICATOR_TABLE,
    LINEAGE_COLUMN_DESCRIPTIONS,
    ROLLUP_COLUMN_DESCRIPTIONS,
    ROLLUP_TABLES,
    STATEMENT_COLUMN_DESCRIPTIONS,
    STATEMENTS_TABLE,
)

PUBLICATION_ID_DESCRIPTION = (
    "The publication this row belongs to (publications.publication_id); the same on every row "
    "of every table of one publication."
)
PUBLICATIONS_DESCRIPTION = (
    "One row describing this publication: when it was made, the row count of each table, the "
    "raw loads it was built from and the fingerprint of its inputs."
)
PUBLICATIONS_COLUMNS: dict[str, str] = {
    "publication_id": "Id of the publication: UTC time it was made and a random suffix.",
    "published_at": "When the publication was swapped in (UTC).",
    "row_counts": "Rows per published table (JSON object).",
    "lineage": "The newest accepted raw load per source the publication was built from (JSON).",
    "inputs_fingerprint": "What the publication was built from (raw loads, code, settings; JSON).",
}

# Table → (description, column → description) for every table built outside dbt.
GAP_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    INDICATOR_TABLE: (
        GAP_TABLE_DESCRIPTIONS[INDICATOR_TABLE],
        {**COLUMN_DESCRIPTIONS, **LINEAGE_COLUMN_DESCRIPTIONS},
    ),
    **{
        table: (GAP_TABLE_DESCRIPTIONS[table], ROLLUP_COLUMN_DESCRIPTIONS)
        for table in ROLLUP_TABLES
    },
    STATEMENTS_TABLE: (GAP_TABLE_DESCRIPTIONS[STATEMENTS_TABLE], STATEMENT_COLUMN_DESCRIPTIONS),
}


def _literal(text: str) -> str:
    """A SQL string literal of ``text`` on one line (yml's folded descriptions end in a newline,
    which BI tools would show)."""
    return "'" + " ".join(text.split()).replace("'", "''") + "'"


def comment_table(
    con: duckdb.DuckDBPyConnection,
    qualified: str,
    description: str | None,
    columns: dict[str, str],
) -> None:
    """COMMENT ON the table ``qualified`` (already quoted, e.g. ``gaps."gap_goal_annual"``) and
    on each of its columns that ``columns`` describes."""
    if description:
        con.execute(f"comment on table {qualified} is {_literal(description)}")
    present = {r[0] for r in con.execute(f"select * from {qualified} limit 0").description}
    for column, text in columns.items():
        if column in present and text:
            con.execute(f'comment on column {qualified}."{column}" is {_literal(text)}')


def table_comments(
    con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str
) -> tuple[str | None, dict[str, str]]:
    """The comment of ``catalog.schema.table`` and of each of its commented columns."""
    row = con.execute(
        "select comment from duckdb_tables() "
        "where database_name = ? and schema_name = ? and table_name = ?",
        [catalog, schema, table],
    ).fetchone()
    columns = con.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? and comment is not null "
        "order by column_index",
        [catalog, schema, table],
    ).fetchall()
    return (row[0] if row else None), dict(columns)


def copy_comments(
    con: duckdb.DuckDBPyConnection,
    source: tuple[str, str, str],
    target: tuple[str, str, str],
) -> None:
    """Copy the comments of table ``source`` (catalog, schema, table) onto ``target``, and
    describe the ``publication_id`` column the publication adds."""
    description, columns = table_comments(con, *source)
    catalog, schema, table = target
    comment_table(
        con,
        f'{catalog}.{schema}."{table}"',
        description,
        {**columns, "publication_id": PUBLICATION_ID_DESCRIPTION},
    )
