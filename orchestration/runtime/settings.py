"""The only reader of os.environ in orchestration: RUS_ENV and friends → Settings."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from ingest.catalogue import SCOPES, check_region, default_region, read_geographies
from ingest.config import KOLADA_LIVE_BASE_URL
from ingest.pxweb.config import PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL
from ingest.replay.faults import read_faults_file
from orchestration.publish.postgres import PgServer, PgTarget

REPO_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = ("dev", "prod")


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    region_code: str
    first_year: int
    kolada_base_url: str
    scope: str = "region"  # RUS_SCOPE: "region" (its kommuner) or "country" (all 290)
    pxweb_v1_base_url: str = PXWEB_V1_LIVE_BASE_URL
    pxweb_v2_base_url: str = PXWEB_V2_LIVE_BASE_URL
    replay_faults: Path | None = None
    replay_snapshot: Path | None = None  # dev: a snapshot directory to serve (None: bundled)
    # dev: a replay server already running on loopback (python -m ingest.replay) instead of one
    # started in this process; it must serve replay_snapshot (its version header is checked).
    replay_url: str = ""
    alert_webhook_url: str = ""  # RUS_ALERT_WEBHOOK_URL: a secret, never logged or stored
    postgres: PgTarget | None = None
    nightly_cron: str = "0 2 * * *"  # RUS_NIGHTLY_CRON, in Europe/Stockholm time

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.data_dir / "published"

    @property
    def published_path(self) -> Path:
        return self.published_dir / "rus.duckdb"


def settings(publish_target: bool = True) -> Settings:
    """Read the environment; a bad value is an error naming the variable and what was expected.
    ``publish_target=False`` leaves out the PostgreSQL publication (and its BI role's password)."""
    env = os.environ.get("RUS_ENV", "dev")
    if env not in ENVIRONMENTS:
        raise ValueError(f"RUS_ENV={env!r}; expected one of {ENVIRONMENTS}")
    data_dir = Path(os.environ.get("RUS_DATA_DIR") or REPO_ROOT / "data").resolve()
    # Unset: the strategy owner's län (rus_strategy.csv); a code that is no län is an error
    # naming RUS_REGION and listing the 21 län codes.
    region = check_region(read_geographies(), os.environ.get("RUS_REGION") or default_region())
    first_year_text = os.environ.get("RUS_FIRST_YEAR", "2010")
    if not first_year_text.isdigit():
        raise ValueError(f"RUS_FIRST_YEAR={first_year_text!r}; expected a year such as 2010")
    scope = os.environ.get("RUS_SCOPE", "region")
    if scope not in SCOPES:
        raise ValueError(
            f"RUS_SCOPE={scope!r}; expected one of {SCOPES} (the region's kommuner, or all 290)"
        )
    faults = os.environ.get("RUS_REPLAY_FAULTS")
    if faults:
        read_faults_file(Path(faults), "RUS_REPLAY_FAULTS")  # refused here, before any use
    snapshot = os.environ.get("RUS_REPLAY_SNAPSHOT")
    if snapshot and not (Path(snapshot) / "kolada").is_dir():
        raise ValueError(
            f"RUS_REPLAY_SNAPSHOT={snapshot!r}; expected a snapshot directory with kolada/ and "
            "scb/ (see ingest.snapshot.synthetic)"
        )
    replay_url = loopback_url(os.environ.get("RUS_REPLAY_URL", ""), "RUS_REPLAY_URL")
    return Settings(
        env=env,
        data_dir=data_dir,
        region_code=region,
        first_year=int(first_year_text),
        scope=scope,
        kolada_base_url=os.environ.get("KOLADA_BASE_URL", KOLADA_LIVE_BASE_URL).rstrip("/"),
        pxweb_v1_base_url=os.environ.get("PXWEB_V1_BASE_URL", PXWEB_V1_LIVE_BASE_URL).rstrip("/"),
        pxweb_v2_base_url=os.environ.get("PXWEB_BASE_URL", PXWEB_V2_LIVE_BASE_URL).rstrip("/"),
        replay_faults=Path(faults) if faults else None,
        replay_snapshot=Path(snapshot).resolve() if snapshot else None,
        replay_url=replay_url,
        alert_webhook_url=alert_webhook(),
        postgres=pg_target() if publish_target else None,
        nightly_cron=nightly_cron(),
    )


def loopback_url(url: str, name: str) -> str:
    """``url`` when it is an http URL on 127.0.0.0/8 or localhost (or empty); else an error."""
    url = url.strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "http" or not (host == "localhost" or host.startswith("127.")):
        raise ValueError(
            f"{name}={url!r}; expected a replay server on loopback such as http://127.0.0.1:8765"
        )
    return url


_CRON_FIELD = re.compile(r"^[0-9*/,-]+$")


def nightly_cron() -> str:
    """RUS_NIGHTLY_CRON: when the nightly job runs (five cron fields, Stockholm time)."""
    cron = os.environ.get("RUS_NIGHTLY_CRON", "0 2 * * *").strip()
    fields = cron.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ValueError(
            f"RUS_NIGHTLY_CRON={cron!r}; expected five cron fields such as '0 2 * * *'"
        )
    return cron


def alert_webhook() -> str:
    """RUS_ALERT_WEBHOOK_URL, checked: an http(s) URL or unset (no alerts posted)."""
    url = os.environ.get("RUS_ALERT_WEBHOOK_URL", "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValueError("RUS_ALERT_WEBHOOK_URL is not an http(s) URL; expected https://…")
    return url


def _pg_server(database_variable: str, default_database: str) -> PgServer | None:
    """RUS_PG_HOST, RUS_PG_PORT, RUS_PG_USER, RUS_PG_PASSWORD and the database named by
    ``database_variable``; None when RUS_PG_HOST is unset."""
    host = os.environ.get("RUS_PG_HOST")
    if not host:
        return None
    port = os.environ.get("RUS_PG_PORT", "5432")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"RUS_PG_PORT={port!r}; expected a TCP port number such as 5432")
    return PgServer(
        host=host,
        port=int(port),
        database=os.environ.get(database_variable, default_database),
        user=os.environ.get("RUS_PG_USER", "postgres"),
        password=os.environ.get("RUS_PG_PASSWORD", ""),
    )


def pg_target() -> PgTarget | None:
    """The PostgreSQL target from RUS_PG_*; None when RUS_PG_HOST is unset (DuckDB only)."""
    server = _pg_server("RUS_PG_DATABASE", "rus")
    if server is None:
        return None
    return PgTarget(
        **{f.name: getattr(server, f.name) for f in fields(PgServer)},
        bi_role=os.environ.get("RUS_PG_BI_ROLE", "rus_bi"),
        bi_password=os.environ.get("RUS_PG_BI_PASSWORD", ""),
    )


def pg_warehouse() -> PgServer | None:
    """The PostgreSQL warehouse dbt's ``pg`` target builds in (the RUS_PG_* server, database
    RUS_PG_WAREHOUSE_DATABASE, as profiles.yml reads them)."""
    return _pg_server("RUS_PG_WAREHOUSE_DATABASE", "rus_warehouse")


def dbt_env(s: Settings) -> dict[str, str]:
    """What dbt reads from its environment (profiles.yml, the sources, vars): the data directory,
    the region and the interpreter's bin/ on PATH (dbt is installed beside it)."""
    bin_dir = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    return {
        "RUS_DATA_DIR": str(s.data_dir),
        "RUS_REGION": s.region_code,
        "PATH": path if bin_dir in path.split(os.pathsep) else os.pathsep.join([bin_dir, path]),
    }


def export_for_dbt(s: Settings) -> None:
    """Put :func:`dbt_env` in this process's environment: dagster-dbt hands dbt a copy of
    ``os.environ`` and nothing else (DbtCliResource has no environment of its own)."""
    os.environ.update(dbt_env(s))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
