"""The PostgreSQL copy of a publication, for BI tools that cannot read DuckDB.

No Dagster imports: the asset in assets/publish.py only calls :func:`publish_to_postgres`.

The source is the published DuckDB file (so PostgreSQL always holds exactly one DuckDB
publication, ``publication_id`` included). Everything happens in ONE transaction: the tables are
created and filled in a fresh schema, the old ``rus`` schema is dropped, the fresh one renamed to
``rus`` and the read-only role granted ``SELECT``. A reader sees the old publication until the
commit and the new one after it; on any error the transaction rolls back and ``rus`` is exactly as
it was.

The read-only role (default ``rus_bi``) is created or updated with the password from the
environment: LOGIN, no superuser/createdb/createrole, ``default_transaction_read_only = on``,
CONNECT on the database, USAGE on ``rus`` and SELECT on its tables; nothing else.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
import tenacity
from psycopg2 import sql

from orchestration.publish.pg_copy import copy_rows, pg_type
from orchestration.publish.schema import table_comments

# The connection settings are plain data in runtime/ (read by runtime/settings.py); named here too
# for the callers that publish with them.
from orchestration.runtime.pg_settings import PgServer, PgTarget

__all__ = ["PgPublication", "PgServer", "PgTarget", "connect", "publish_to_postgres"]

SCHEMA = "rus"
INCOMING_SCHEMA = "rus__incoming"


def connect(server: PgServer) -> psycopg2.extensions.connection:
    """A connection to ``server``'s database; a refused one is a ConnectionError naming where."""
    try:
        return psycopg2.connect(
            host=server.host,
            port=server.port,
            dbname=server.database,
            user=server.user,
            password=server.password or None,
            connect_timeout=10,
            application_name="rus-pipeline",
        )
    except psycopg2.OperationalError as exc:
        raise ConnectionError(
            f"cannot connect to PostgreSQL {server.user}@{server.host}:{server.port}/"
            f"{server.database}: {str(exc).strip()}"
        ) from exc


@dataclass(frozen=True)
class PgPublication:
    publication_id: str
    schema: str
    row_counts: dict[str, int]
    bi_role: str
    bi_role_can_create_in_public: bool


def _published_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'main' order by table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, pg_type(data_type, table, column)))
    return tables


def _comment_table(
    cur: psycopg2.extensions.cursor, src: duckdb.DuckDBPyConnection, table: str
) -> None:
    """The published DuckDB file's table and column comments, as COMMENT ON in PostgreSQL."""
    (catalog,) = src.execute("select current_database()").fetchone()
    description, columns = table_comments(src, catalog, "main", table)
    if description:
        cur.execute(
            sql.SQL("comment on table {} is %s").format(sql.Identifier(INCOMING_SCHEMA, table)),
            [description],
        )
    for column, text in columns.items():
        cur.execute(
            sql.SQL("comment on column {} is %s").format(
                sql.Identifier(INCOMING_SCHEMA, table, column)
            ),
            [text],
        )


def ensure_bi_role(cur: psycopg2.extensions.cursor, target: PgTarget) -> None:
    role = sql.Identifier(target.bi_role)
    cur.execute("select 1 from pg_roles where rolname = %s", [target.bi_role])
    verb = "alter" if cur.fetchone() else "create"
    cur.execute(
        sql.SQL(
            verb + " role {} with login password %s nosuperuser nocreatedb nocreaterole "
            "noreplication inherit"
        ).format(role),
        [target.bi_password],
    )
    cur.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(role))
    cur.execute(
        sql.SQL("grant connect on database {} to {}").format(sql.Identifier(target.database), role)
    )


def _swap_in(
    cur: psycopg2.extensions.cursor,
    src: duckdb.DuckDBPyConnection,
    tables: dict[str, list[tuple[str, str]]],
    target: PgTarget,
    publication_id: str,
    workdir: Path,
) -> tuple[dict[str, int], bool]:
    """Inside the caller's transaction: fill a fresh schema, replace ``rus`` with it, grant."""
    cur.execute("set local lock_timeout = '60s'")
    ensure_bi_role(cur, target)
    incoming, schema = sql.Identifier(INCOMING_SCHEMA), sql.Identifier(SCHEMA)
    role = sql.Identifier(target.bi_role)
    cur.execute(sql.SQL("drop schema if exists {} cascade").format(incoming))
    cur.execute(sql.SQL("create schema {}").format(incoming))
    counts: dict[str, int] = {}
    for table, columns in tables.items():
        cur.execute(
            sql.SQL("create table {} ({})").format(
                sql.Identifier(INCOMING_SCHEMA, table),
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns
                ),
            )
        )
        counts[table] = copy_rows(
            cur,
            sql.Identifier(INCOMING_SCHEMA, table),
            src,
            f'main."{table}"',
            [c for c, _ in columns],
            workdir,
        )
        _comment_table(cur, src, table)
    cur.execute(sql.SQL("drop schema if exists {} cascade").format(schema))
    cur.execute(sql.SQL("alter schema {} rename to {}").format(incoming, schema))
    cur.execute(sql.SQL("grant usage on schema {} to {}").format(schema, role))
    cur.execute(sql.SQL("grant select on all tables in schema {} to {}").format(schema, role))
    cur.execute(
        sql.SQL("comment on schema {} is %s").format(schema),
        [f"rus-pipeline publication {publication_id}"],
    )
    cur.execute("select has_schema_privilege(%s, 'public', 'CREATE')", [target.bi_role])
    return counts, bool(cur.fetchone()[0])


def publish_to_postgres(published_duckdb: Path, target: PgTarget) -> PgPublication:
    """Copy every table of the published DuckDB file into ``rus``, swapped in one transaction."""
    if not published_duckdb.is_file():
        raise FileNotFoundError(
            f"{published_duckdb} does not exist; expected the published DuckDB file "
            "(published_marts runs first)"
        )
    src = duckdb.connect(str(published_duckdb), read_only=True)
    try:
        tables = _published_tables(src)
        if "publications" not in tables:
            raise ValueError(
                f"{published_duckdb} has no publications table; expected a file written by "
                "orchestration.publish.publication.publish"
            )
        publication_id = src.execute("select publication_id from main.publications").fetchone()[0]
        counts, can_create = _publish_once(src, tables, target, publication_id)
    finally:
        src.close()
    return PgPublication(publication_id, SCHEMA, counts, target.bi_role, can_create)


# A BI reader's transaction holding one old table while the swap holds another is a deadlock
# PostgreSQL resolves by aborting one side; when that is the swap, it rolled back whole and is
# tried again (the reader has finished by then).
@tenacity.retry(
    retry=tenacity.retry_if_exception_type(psycopg2.errors.DeadlockDetected),
    stop=tenacity.stop_after_attempt(4),
    wait=tenacity.wait_exponential(multiplier=0.5, max=4),
    reraise=True,
)
def _publish_once(
    src: duckdb.DuckDBPyConnection,
    tables: dict[str, list[tuple[str, str]]],
    target: PgTarget,
    publication_id: str,
) -> tuple[dict[str, int], bool]:
    conn = connect(target)
    try:
        # One transaction: commit on success, rollback on any error.
        with (
            tempfile.TemporaryDirectory(prefix="rus-pg-") as workdir,
            conn,
            conn.cursor() as cur,
        ):
            return _swap_in(cur, src, tables, target, publication_id, Path(workdir))
    finally:
        conn.close()


def pg_publication_id(target: PgTarget) -> str | None:
    """The publication currently in ``rus`` (None when nothing was published yet)."""
    conn = connect(target)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("select to_regclass('rus.publications') is not null")
            if not cur.fetchone()[0]:
                return None
            cur.execute("select publication_id from rus.publications")
            return cur.fetchone()[0]
    finally:
        conn.close()
