"""Settings are read from a mapping handed in and written nowhere; dbt's environment is built
for the subprocess, never put into this process's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ingest.config import FIRST_YEAR
from orchestration.runtime.layout import DEFAULT_DATA_DIR, PUBLISHED_FILE
from orchestration.runtime.pg_settings import PgServer, PgTarget
from orchestration.runtime.settings import (
    dbt_env,
    dbt_variables,
    pg_target,
    pg_warehouse,
    read_settings,
)


def test_read_settings_reads_only_the_mapping_handed_in(tmp_path):
    before = dict(os.environ)
    s = read_settings(
        {
            "RUS_ENV": "prod",
            "RUS_DATA_DIR": str(tmp_path),
            "RUS_REGION": "0020",
            "RUS_FIRST_YEAR": "2015",
            "KOLADA_BASE_URL": "http://127.0.0.1:9/v3/",
        }
    )
    assert (s.env, s.data_dir, s.region_code, s.first_year) == ("prod", tmp_path, "0020", 2015)
    assert s.kolada_base_url == "http://127.0.0.1:9/v3"
    assert s.published_path == tmp_path / "published" / PUBLISHED_FILE
    assert dict(os.environ) == before


def test_the_defaults_are_the_ones_written_once():
    s = read_settings({})
    assert s.env == "dev" and s.first_year == FIRST_YEAR == 2010
    assert s.data_dir == DEFAULT_DATA_DIR.resolve()
    assert s.published_path.name == "rus.duckdb" and s.warehouse_path.name == "warehouse.duckdb"
    assert s.postgres is None and s.nightly_cron == "0 2 * * *"


@pytest.mark.parametrize("bad", ["twenty-ten", "", "20.10"])
def test_a_first_year_that_is_no_year_is_refused_naming_the_variable(bad):
    with pytest.raises(ValueError, match=r"RUS_FIRST_YEAR=.*expected a year such as 2010"):
        read_settings({"RUS_FIRST_YEAR": bad})


def test_postgresql_settings_are_plain_data_from_the_mapping():
    env = {"RUS_PG_HOST": "127.0.0.1", "RUS_PG_PORT": "5433", "RUS_PG_BI_PASSWORD": "bi"}
    target = pg_target(env)
    assert isinstance(target, PgTarget)
    assert (target.host, target.port, target.database, target.bi_role) == (
        "127.0.0.1",
        5433,
        "rus",
        "rus_bi",
    )
    assert pg_warehouse(env) == PgServer("127.0.0.1", 5433, "rus_warehouse", "postgres", "")
    assert pg_target({}) is None
    assert (
        "psycopg2" not in sys.modules or PgServer.__module__ == "orchestration.runtime.pg_settings"
    )


def test_dbt_gets_an_environment_of_its_own(tmp_path):
    s = read_settings({"RUS_DATA_DIR": str(tmp_path), "RUS_REGION": "0020"})
    assert dbt_variables(s) == {"RUS_DATA_DIR": str(tmp_path), "RUS_REGION": "0020"}
    before = dict(os.environ)
    env = dbt_env(s, {"PATH": "/usr/bin", "HOME": "/h"})
    assert env["RUS_DATA_DIR"] == str(tmp_path) and env["RUS_REGION"] == "0020"
    assert env["HOME"] == "/h" and env["DBT_SEND_ANONYMOUS_USAGE_STATS"] == "false"
    assert env["PATH"].split(os.pathsep) == [str(Path(sys.executable).parent), "/usr/bin"]
    assert (
        dbt_env(s, {"DBT_SEND_ANONYMOUS_USAGE_STATS": "true"})["DBT_SEND_ANONYMOUS_USAGE_STATS"]
        == "true"
    )  # the user's own choice stands
    assert dict(os.environ) == before
