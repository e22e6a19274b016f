"""The only reader of the environment in orchestration: RUS_ENV and friends → one Settings.

Reading changes nothing: no function here writes ``os.environ``. :func:`current_settings` reads
once per process (the code location, the CLI); :func:`read_settings` reads any mapping handed in.
dbt gets its variables explicitly where it is invoked (:func:`dbt_variables`, :func:`dbt_env`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from ingest.catalogue import SCOPES, check_region, default_region, read_geographies
from ingest.config import FIRST_YEAR, KOLADA_LIVE_BASE_URL, kolada_base_url
from ingest.pxweb.config import PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL, pxweb_base_urls
from ingest.replay.faults import read_faults_file
from orchestration.runtime.layout import DEFAULT_DATA_DIR, REPO_ROOT, DataLayout
from orchestration.runtime.pg_settings import PgServer, PgTarget

__all__ = ["REPO_ROOT", "Settings", "current_settings", "read_settings", "settings"]

ENVIRONMENTS = ("dev", "prod")
NIGHTLY_CRON = "0 2 * * *"  # RUS_NIGHTLY_CRON's default, in Europe/Stockholm time


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    region_code: str
    first_year: int
    kolada_base_url: str = KOLADA_LIVE_BASE_URL
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
    nightly_cron: str = NIGHTLY_CRON

    @property
    def layout(self) -> DataLayout:
        return DataLayout(self.data_dir)

    @property
    def raw_dir(self) -> Path:
        return self.layout.raw_dir

    @property
    def warehouse_path(self) -> Path:
        return self.layout.warehouse_path

    @property
    def published_dir(self) -> Path:
        return self.layout.published_dir

    @property
    def published_path(self) -> Path:
        return self.layout.published_path

    @property
    def reports_dir(self) -> Path:
        return self.layout.reports_dir


def read_settings(environ: Mapping[str, str], publish_target: bool = True) -> Settings:
    """The settings in ``environ``; a bad value is an error naming the variable and what was
    expected. ``publish_target=False`` leaves out the PostgreSQL publication (and its BI role's
    password)."""
    env = environ.get("RUS_ENV", "dev")
    if env not in ENVIRONMENTS:
        raise ValueError(f"RUS_ENV={env!r}; expected one of {ENVIRONMENTS}")
    data_dir = Path(environ.get("RUS_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    # Unset: the strategy owner's län (rus_strategy.csv); a code that is no län is an error
    # naming RUS_REGION and listing the 21 län codes.
    region = check_region(read_geographies(), environ.get("RUS_REGION") or default_region())
    first_year_text = environ.get("RUS_FIRST_YEAR", str(FIRST_YEAR))
    if not first_year_text.isdigit():
        raise ValueError(
            f"RUS_FIRST_YEAR={first_year_text!r}; expected a year such as {FIRST_YEAR}"
        )
    scope = environ.get("RUS_SCOPE", "region")
    if scope not in SCOPES:
        raise ValueError(
            f"RUS_SCOPE={scope!r}; expected one of {SCOPES} (the region's kommuner, or all 290)"
        )
    faults = environ.get("RUS_REPLAY_FAULTS")
    if faults:
        read_faults_file(Path(faults), "RUS_REPLAY_FAULTS")  # refused here, before any use
    snapshot = environ.get("RUS_REPLAY_SNAPSHOT")
    if snapshot and not (Path(snapshot) / "kolada").is_dir():
        raise ValueError(
            f"RUS_REPLAY_SNAPSHOT={snapshot!r}; expected a snapshot directory with kolada/ and "
            "scb/ (see ingest.snapshot.synthetic)"
        )
    replay_url = loopback_url(environ.get("RUS_REPLAY_URL", ""), "RUS_REPLAY_URL")
    pxweb_v1, pxweb_v2 = pxweb_base_urls(environ)
    return Settings(
        env=env,
        data_dir=data_dir,
        region_code=region,
        first_year=int(first_year_text),
        scope=scope,
        kolada_base_url=kolada_base_url(environ),
        pxweb_v1_base_url=pxweb_v1,
        pxweb_v2_base_url=pxweb_v2,
        replay_faults=Path(faults) if faults else None,
        replay_snapshot=Path(snapshot).resolve() if snapshot else None,
        replay_url=replay_url,
        alert_webhook_url=alert_webhook(environ),
        postgres=pg_target(environ) if publish_target else None,
        nightly_cron=nightly_cron(environ),
    )


def settings(publish_target: bool = True) -> Settings:
    """The settings in this process's environment as it is now (read, never written)."""
    return read_settings(os.environ, publish_target)


@functools.cache
def current_settings() -> Settings:
    """This process's settings, read once: the code location and the CLI share one object."""
    return settings()


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


def nightly_cron(environ: Mapping[str, str] = os.environ) -> str:
    """RUS_NIGHTLY_CRON: when the nightly job runs (five cron fields, Stockholm time)."""
    cron = environ.get("RUS_NIGHTLY_CRON", NIGHTLY_CRON).strip()
    parts = cron.split()
    if len(parts) != 5 or not all(_CRON_FIELD.match(f) for f in parts):
        raise ValueError(
            f"RUS_NIGHTLY_CRON={cron!r}; expected five cron fields such as '{NIGHTLY_CRON}'"
        )
    return cron


def alert_webhook(environ: Mapping[str, str] = os.environ) -> str:
    """RUS_ALERT_WEBHOOK_URL, checked: an http(s) URL or unset (no alerts posted)."""
    url = environ.get("RUS_ALERT_WEBHOOK_URL", "").strip()
    if url and not url.startswith(("http://", "https://")):
        raise ValueError("RUS_ALERT_WEBHOOK_URL is not an http(s) URL; expected https://…")
    return url


def _pg_server(
    environ: Mapping[str, str], database_variable: str, default_database: str
) -> PgServer | None:
    """RUS_PG_HOST, RUS_PG_PORT, RUS_PG_USER, RUS_PG_PASSWORD and the database named by
    ``database_variable``; None when RUS_PG_HOST is unset."""
    host = environ.get("RUS_PG_HOST")
    if not host:
        return None
    port = environ.get("RUS_PG_PORT", "5432")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"RUS_PG_PORT={port!r}; expected a TCP port number such as 5432")
    return PgServer(
        host=host,
        port=int(port),
        database=environ.get(database_variable, default_database),
        user=environ.get("RUS_PG_USER", "postgres"),
        password=environ.get("RUS_PG_PASSWORD", ""),
    )


def pg_target(environ: Mapping[str, str] = os.environ) -> PgTarget | None:
    """The PostgreSQL target from RUS_PG_*; None when RUS_PG_HOST is unset (DuckDB only)."""
    server = _pg_server(environ, "RUS_PG_DATABASE", "rus")
    if server is None:
        return None
    return PgTarget(
        **{f.name: getattr(server, f.name) for f in fields(PgServer)},
        bi_role=environ.get("RUS_PG_BI_ROLE", "rus_bi"),
        bi_password=environ.get("RUS_PG_BI_PASSWORD", ""),
    )


def pg_warehouse(environ: Mapping[str, str] = os.environ) -> PgServer | None:
    """The PostgreSQL warehouse dbt's ``pg`` target builds in (the RUS_PG_* server, database
    RUS_PG_WAREHOUSE_DATABASE, as profiles.yml reads them)."""
    return _pg_server(environ, "RUS_PG_WAREHOUSE_DATABASE", "rus_warehouse")


def dbt_variables(s: Settings) -> dict[str, str]:
    """What the dbt project reads from its environment (profiles.yml, the sources' locations,
    the ``region_code`` var), from the settings."""
    return {"RUS_DATA_DIR": str(s.data_dir), "RUS_REGION": s.region_code}


def dbt_env(s: Settings, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The whole environment of a dbt subprocess (handed to it as ``env=``): ``environ``, dbt's
    anonymous usage statistics off unless it says otherwise, :func:`dbt_variables` and the
    interpreter's bin/ on PATH (dbt is installed beside it)."""
    bin_dir = str(Path(sys.executable).parent)
    path = environ.get("PATH", "")
    return {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **environ,
        **dbt_variables(s),
        "PATH": path if bin_dir in path.split(os.pathsep) else os.pathsep.join([bin_dir, path]),
    }
