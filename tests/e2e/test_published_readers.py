"""The published files read by the DuckDB that BI tools ship (1.4), not only by our own (2.0).

A session fixture builds, once, an environment of its own with the pinned reader
(``tests/e2e/compat-requirements.txt``) under ``<repo>/.venv-compat/``; it is reused as long as
that file is unchanged. A script run there opens ``published/rus.duckdb`` read-only and reads every
Parquet file of the publication; the same script, run here under DuckDB 2.0, reads the same files.
Both must see the same tables, the same column names and types, and the same rows, every value
compared exactly (a float by its bits, a bool never equal to an int).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e

COMPAT_DIR = REPO_ROOT / ".venv-compat"
REQUIREMENTS = Path(__file__).with_name("compat-requirements.txt")
COMPAT_PYTHON = "3.11"

# Run by both readers: the 1.4 one as `python -I -c DUMP_SCRIPT <db> <parquet dir> <out>`, this
# process's 2.0 one by exec (the same code, so any difference is the reader's).
DUMP_SCRIPT = r'''
import datetime
import decimal
import pickle
import sys
import uuid
from pathlib import Path

import duckdb


def canonical(v):
    """A value as a type-tagged, exactly comparable form: a float by its bits (so -0.0, NaN
    and the last ulp count), True never equal to 1, a date never equal to its string."""
    if v is None:
        return None
    if isinstance(v, float):
        return ("float", v.hex())
    if isinstance(v, (bool, int, str)):
        return (type(v).__name__, v)
    if isinstance(v, decimal.Decimal):
        return ("decimal", str(v))
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return (type(v).__name__, v.isoformat())
    if isinstance(v, datetime.timedelta):
        return ("timedelta", v.days, v.seconds, v.microseconds)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return ("bytes", bytes(v).hex())
    if isinstance(v, uuid.UUID):
        return ("uuid", str(v))
    if isinstance(v, (list, tuple)):
        return ("list", tuple(canonical(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple((repr(k), canonical(x)) for k, x in v.items()))
    return (type(v).__name__, repr(v))


def rows(con, relation, params=()):
    # Sorted here, not by ORDER BY: DuckDB 1.4 rebuilds a sorted DOUBLE from its sort key,
    # turning -0.0 into 0.0 (the file holds -0.0; a plain scan returns it).
    fetched = con.execute(f"select * from {relation}", list(params)).fetchall()
    return sorted((tuple(canonical(v) for v in row) for row in fetched), key=repr)


def dump_database(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() order by all"
        ).fetchall()
        out = {}
        for schema, table, kind in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            # Table and column comments: what BI tools show as descriptions.
            comments = con.execute(
                "select comment from duckdb_tables() where database_name = current_database() "
                "and schema_name = ? and table_name = ? union all "
                "select comment from duckdb_views() where database_name = current_database() "
                "and schema_name = ? and view_name = ?",
                [schema, table, schema, table],
            ).fetchall()
            column_comments = con.execute(
                "select column_name, comment from duckdb_columns() "
                "where database_name = current_database() and schema_name = ? "
                "and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            out[(schema, table)] = {
                "kind": kind,
                "columns": columns,
                "comments": (comments, column_comments),
                "rows": rows(con, f'"{schema}"."{table}"'),
            }
        return out
    finally:
        con.close()


def dump_parquet(folder):
    con = duckdb.connect()
    try:
        out = {}
        for path in sorted(Path(folder).glob("*.parquet")):
            columns = [
                (r[0], r[1])
                for r in con.execute("describe select * from read_parquet(?)", [str(path)])
                .fetchall()
            ]
            out[path.name] = {
                "columns": columns,
                "rows": rows(con, "read_parquet(?)", [str(path)]),
            }
        return out
    finally:
        con.close()


def dump(db, folder):
    return {
        "duckdb_version": duckdb.__version__,
        "database": dump_database(db),
        "parquet": dump_parquet(folder),
    }


if __name__ == "__main__":
    db, folder, out = sys.argv[1:4]
    result = dump(db, folder)
    # A third reader in the same environment: pyarrow sees the same columns and row counts.
    import pyarrow
    import pyarrow.parquet as pq

    result["pyarrow_version"] = pyarrow.__version__
    result["pyarrow"] = {
        p.name: (pq.ParquetFile(p).schema_arrow.names, pq.ParquetFile(p).metadata.num_rows)
        for p in sorted(Path(folder).glob("*.parquet"))
    }
    Path(out).write_bytes(pickle.dumps(result))
'''


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    uv = str(beside) if beside.exists() else shutil.which("uv")
    if uv is None:
        pytest.fail("uv not found beside the interpreter or on PATH (make install provides it)")
    return uv


def ensure_compat_env() -> tuple[Path, bool]:
    """The compat environment's python, and whether it was (re)built now. Rebuilt when the
    requirements file changed (its hash is stored beside the environment); under a lock, so two
    sessions never build it at the same time."""
    COMPAT_DIR.mkdir(exist_ok=True)
    env_dir = COMPAT_DIR / "env"
    python = env_dir / "bin" / "python"
    stamp = COMPAT_DIR / "env.json"
    wanted = hashlib.sha256(f"{COMPAT_PYTHON}\n".encode() + REQUIREMENTS.read_bytes()).hexdigest()
    with open(COMPAT_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = json.loads(stamp.read_text(encoding="utf-8")) if stamp.exists() else {}
        if python.exists() and built.get("requirements") == wanted:
            return python, False
        stamp.unlink(missing_ok=True)
        shutil.rmtree(env_dir, ignore_errors=True)
        started = time.monotonic()
        for cmd in (
            [_uv(), "venv", "-q", "-p", COMPAT_PYTHON, "--no-python-downloads", str(env_dir)],
            [_uv(), "pip", "install", "-q", "--python", str(python), "-r", str(REQUIREMENTS)],
        ):
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, f"{cmd}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        stamp.write_text(
            json.dumps(
                {"requirements": wanted, "built_in_s": round(time.monotonic() - started, 1)}
            ),
            encoding="utf-8",
        )
        return python, True


@pytest.fixture(scope="session")
def compat_python() -> Path:
    python, _ = ensure_compat_env()
    return python


def _here() -> dict:
    namespace: dict = {"__name__": "dump"}
    exec(compile(DUMP_SCRIPT, "DUMP_SCRIPT", "exec"), namespace)
    return namespace


def run_old_reader(python: Path, db: Path, folder: Path, out: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    proc = subprocess.run(
        [str(python), "-I", "-c", DUMP_SCRIPT, str(db), str(folder), str(out)],
        cwd=out.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return pickle.loads(out.read_bytes())


@pytest.fixture(scope="module")
def readers(first_run, compat_python, tmp_path_factory) -> tuple[dict, dict]:
    published = first_run[0] / "published"
    db, folder = published / "rus.duckdb", (published / "parquet").resolve()
    old = run_old_reader(compat_python, db, folder, tmp_path_factory.mktemp("compat") / "dump")
    new = _here()["dump"](db, folder)
    return old, new


def test_the_old_reader_is_duckdb_1_4(readers):
    old, new = readers
    assert old["duckdb_version"].startswith("1.4."), old["duckdb_version"]
    assert new["duckdb_version"] == duckdb.__version__
    assert not new["duckdb_version"].startswith("1."), "the main venv should be on DuckDB 2"


def test_the_duckdb_file_reads_the_same_in_1_4_and_2_0(readers):
    old, new = readers
    old_db, new_db = old["database"], new["database"]
    assert list(old_db) == list(new_db)  # the same tables, in the same order
    assert {t for _, t in new_db} >= {"publications", "fct_indicator_value", "gap_indicator_annual"}
    for key, table in new_db.items():
        assert old_db[key]["kind"] == table["kind"], key
        assert old_db[key]["columns"] == table["columns"], key
        assert old_db[key]["comments"] == table["comments"], key
        assert len(old_db[key]["rows"]) == len(table["rows"]), key
        assert old_db[key]["rows"] == table["rows"], key
    assert sum(len(t["rows"]) for t in new_db.values()) > 10_000  # a real publication


def test_every_parquet_file_reads_the_same_in_1_4_and_2_0(readers, first_run):
    old, new = readers
    names = {f"{t}.parquet" for _, t in new["database"]}
    assert set(new["parquet"]) == names  # one file per table, nothing else
    assert list(old["parquet"]) == list(new["parquet"])
    for name, parquet in new["parquet"].items():
        assert old["parquet"][name]["columns"] == parquet["columns"], name
        assert old["parquet"][name]["rows"] == parquet["rows"], name
        # pyarrow (in the 1.4 environment) agrees on the columns and the row count.
        columns, num_rows = old["pyarrow"][name]
        assert columns == [c for c, _ in parquet["columns"]], name
        assert num_rows == len(parquet["rows"]), name


def test_the_old_reader_refuses_a_file_in_duckdb_2s_default_format(compat_python, tmp_path):
    """Why the publication pins its storage version: a file in 2.0's default format is refused
    by 1.4, so the comparisons above would catch a publication written without the pin."""
    default = tmp_path / "default.duckdb"
    con = duckdb.connect(str(default))
    con.execute("create table t as select 1 as x")
    con.close()
    proc = subprocess.run(
        [
            str(compat_python),
            "-I",
            "-c",
            "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)",
            str(default),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "version" in proc.stderr.lower(), proc.stderr[-2000:]
