"""The PostgreSQL target on a real (throwaway) server: one-transaction swap, read-only BI role."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.postgres import pg_publication_id, publish_to_postgres
from orchestration.publish.publication import publish
from orchestration.runtime.pg_settings import PgTarget
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD

pytestmark = pytest.mark.integration

BI_PASSWORD = "bi-secret-from-env"
TABLES = (("marts", "fct"), ("marts", "dim"))


def make_warehouse(path: Path, n: int, label: str = "Örebro län") -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.fct as select range::integer as year, "
        "range * 1.5::double as value, range % 2 = 0 as is_synthetic, "
        "case when range = 0 then null else 'x' end as note, '' as empty_text "
        f"from range({n})"
    )
    con.execute(
        "create or replace table marts.dim as select ?::varchar as name, 3::bigint as k, "
        "date '2030-12-31' as target_date",
        [label],
    )
    con.close()
    return path


@pytest.fixture
def target(postgres_server, pg_database) -> PgTarget:
    return PgTarget(
        host=postgres_server.host,
        port=postgres_server.port,
        database=pg_database,
        user=SUPERUSER,
        password=SUPERUSER_PASSWORD,
        bi_password=BI_PASSWORD,
    )


def bi(postgres_server, target: PgTarget, query: str) -> subprocess.CompletedProcess[str]:
    return postgres_server.psql(query, target.bi_role, BI_PASSWORD, target.database)


def test_published_tables_arrive_whole_and_readable_by_the_bi_role(
    postgres_server, target, tmp_path
):
    wh = make_warehouse(tmp_path / "wh.duckdb", 5)
    pub = publish(wh, tmp_path / "published", TABLES, lineage={"loads": ["L1"]})
    pg = publish_to_postgres(pub.duckdb_path, target)
    assert pg.publication_id == pub.publication_id
    assert pg.row_counts == {"dim": 1, "fct": 5, "publications": 1}

    # Read back as the BI role with psql, the way a BI tool connects.
    proc = bi(
        postgres_server,
        target,
        "select year, value, is_synthetic, coalesce(note, '<null>'), length(empty_text), "
        "publication_id from rus.fct order by year",
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("\t") for line in proc.stdout.strip().splitlines()]
    assert [r[:5] for r in rows[:2]] == [
        ["0", "0", "t", "<null>", "0"],
        ["1", "1.5", "f", "x", "0"],
    ]
    assert {r[5] for r in rows} == {pub.publication_id}
    proc = bi(postgres_server, target, "select name, k, target_date from rus.dim")
    assert proc.stdout.strip() == "Örebro län\t3\t2030-12-31"
    proc = bi(postgres_server, target, "select row_counts->>'fct' from rus.publications")
    assert proc.stdout.strip() == "5"


def test_the_bi_password_is_checked(postgres_server, target, tmp_path):
    wh = make_warehouse(tmp_path / "wh.duckdb", 2)
    publish_to_postgres(publish(wh, tmp_path / "published", TABLES).duckdb_path, target)
    proc = postgres_server.psql("select 1", target.bi_role, "wrong", target.database)
    assert proc.returncode != 0
    assert "password authentication failed" in proc.stderr


@pytest.mark.parametrize(
    "statement",
    [
        "insert into rus.fct (year) values (99)",
        "update rus.fct set value = 0",
        "delete from rus.fct",
        "truncate rus.fct",
        "drop table rus.fct",
        "drop schema rus cascade",
        "alter table rus.fct add column x int",
        "create table rus.mine (x int)",
        "create table public.mine (x int)",
        "begin read write; create table public.mine (x int); commit",
        "begin read write; insert into rus.fct (year) values (99); commit",
        "create schema mine",
        "grant select on rus.fct to public",
    ],
)
def test_the_read_only_role_cannot_write_or_drop_anything(
    postgres_server, target, tmp_path, statement
):
    wh = make_warehouse(tmp_path / "wh.duckdb", 3)
    publish_to_postgres(publish(wh, tmp_path / "published", TABLES).duckdb_path, target)
    before = postgres_server.admin("select count(*) from rus.fct", target.database)
    proc = bi(postgres_server, target, statement)
    assert proc.returncode != 0, f"{statement!r} succeeded as {target.bi_role}"
    assert (
        "permission denied" in proc.stderr
        or "must be owner" in proc.stderr
        or ("read-only transaction" in proc.stderr)
    ), proc.stderr
    assert postgres_server.admin("select count(*) from rus.fct", target.database) == before
    tables = postgres_server.admin(
        "select count(*) from information_schema.tables where table_name = 'mine'",
        target.database,
    )
    assert tables.strip() == "0"


def test_a_failed_publication_leaves_the_schema_as_it_was(postgres_server, target, tmp_path):
    wh = make_warehouse(tmp_path / "wh.duckdb", 4)
    first = publish(wh, tmp_path / "published", TABLES)
    publish_to_postgres(first.duckdb_path, target)
    before = postgres_server.admin("select * from rus.fct order by year", target.database)

    # A second publication holding a type the target cannot map fails mid-transaction.
    wh2 = make_warehouse(tmp_path / "wh2.duckdb", 9)
    con = duckdb.connect(str(wh2))
    con.execute("create table marts.odd as select [1, 2] as list_column")
    con.close()
    second = publish(wh2, tmp_path / "published2", (*TABLES, ("marts", "odd")))
    with pytest.raises(TypeError, match=r"odd.list_column has DuckDB type INTEGER\[\]"):
        publish_to_postgres(second.duckdb_path, target)
    # A server-side failure after the old schema was dropped rolls back too: make COPY fail.
    bad = publish(wh2, tmp_path / "published3", TABLES)
    con = duckdb.connect(str(bad.duckdb_path))
    con.execute("update fct set note = repeat('x', 10) || chr(0)")  # NUL: PostgreSQL rejects it
    con.close()
    with pytest.raises(Exception, match="0x00"):
        publish_to_postgres(bad.duckdb_path, target)

    assert postgres_server.admin("select * from rus.fct order by year", target.database) == before
    assert pg_publication_id(target) == first.publication_id
    schemas = postgres_server.admin(
        "select string_agg(nspname, ',' order by nspname) from pg_namespace "
        "where nspname like 'rus%'",
        target.database,
    )
    assert schemas.strip() == "rus"


def test_bad_settings_name_the_variable(target):
    with pytest.raises(ValueError, match="RUS_PG_BI_PASSWORD is not set"):
        PgTarget("127.0.0.1", 5432, "rus", "postgres", "", bi_password="")
    with pytest.raises(ValueError, match="RUS_PG_BI_ROLE"):
        PgTarget("127.0.0.1", 5432, "rus", "postgres", "", bi_role="BI; drop", bi_password="x")
    dead = PgTarget("127.0.0.1", 1, "rus", "postgres", "", bi_password="x")
    with pytest.raises(ConnectionError, match=r"cannot connect to PostgreSQL postgres@127.0.0.1:1"):
        pg_publication_id(dead)


READER = """
import sys, time, psycopg2
host, port, db, user, pw, seconds = sys.argv[1:7]
seen = []
deadline = time.time() + float(seconds)
while time.time() < deadline:
    try:
        conn = psycopg2.connect(host=host, port=port, dbname=db, user=user, password=pw)
        cur = conn.cursor()
        cur.execute(
            "select count(distinct publication_id), min(publication_id) from ("
            " select publication_id from rus.fct union all"
            " select publication_id from rus.dim union all"
            " select publication_id from rus.publications) t"
        )
        seen.append("%s %s" % cur.fetchone())
        conn.close()
    except Exception as exc:
        seen.append("error " + repr(exc).replace(chr(10), " "))
    time.sleep(0.01)
print("\\n".join(seen))
"""


def test_a_bi_reader_during_publications_always_sees_exactly_one(postgres_server, target, tmp_path):
    wh = make_warehouse(tmp_path / "wh.duckdb", 20_000)
    pubs = [publish(wh, tmp_path / f"p{i}", TABLES) for i in range(4)]
    publish_to_postgres(pubs[0].duckdb_path, target)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            READER,
            target.host,
            str(target.port),
            target.database,
            target.bi_role,
            BI_PASSWORD,
            "6",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    for pub in pubs[1:]:
        publish_to_postgres(pub.duckdb_path, target)
        time.sleep(0.3)
    out, _ = reader.communicate(timeout=60)
    seen = out.strip().splitlines()
    assert [s for s in seen if s.startswith("error")] == []
    assert {s.split()[0] for s in seen} == {"1"}
    ids = {s.split()[1] for s in seen}
    assert len(ids) >= 3 and ids <= {p.publication_id for p in pubs}
