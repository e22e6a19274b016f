"""Resources: thin wrappers that hand typed settings to the plain ingest/publish functions."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from ingest.catalogue import default_region
from ingest.config import KOLADA_LIVE_BASE_URL, HttpConfig, KoladaConfig
from ingest.pxweb.config import PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL, PxWebConfig
from orchestration.defs.project import rus_dbt_project
from orchestration.defs.replay_resource import ReplayServerResource
from orchestration.publish.postgres import PgTarget
from orchestration.runtime.run_lock import run_lock
from orchestration.runtime.settings import Settings, settings


def _hosts(*urls: str) -> frozenset[str]:
    """The public hosts a source's published rate limit protects (not a local replay server)."""
    return frozenset(urlsplit(u).netloc for u in urls)


class KoladaResource(dg.ConfigurableResource):
    """Where Kolada is and how politely to ask (base URL from KOLADA_BASE_URL)."""

    base_url: str = KOLADA_LIVE_BASE_URL
    calls_per_second: int = 5
    read_timeout_s: float = 30.0
    max_attempts: int = 5

    def kolada_config(self) -> KoladaConfig:
        return KoladaConfig(base_url=self.base_url.rstrip("/"))

    def http_config(self) -> HttpConfig:
        return HttpConfig(
            calls_per_period=self.calls_per_second,
            period_s=1.0,
            read_timeout_s=self.read_timeout_s,
            max_attempts=self.max_attempts,
            rate_limited_hosts=_hosts(KOLADA_LIVE_BASE_URL),
        )


class PxWebResource(dg.ConfigurableResource):
    """Where SCB's PxWeb APIs are (PXWEB_V1_BASE_URL, PXWEB_BASE_URL) and SCB's limits.

    SCB's open-data page: at most 10 calls per 10 s per IP and 100 000 values per request.
    """

    v1_base_url: str = PXWEB_V1_LIVE_BASE_URL
    v2_base_url: str = PXWEB_V2_LIVE_BASE_URL
    calls_per_10_s: int = 10
    max_cells: int = 100_000
    read_timeout_s: float = 60.0
    max_attempts: int = 5

    def pxweb_config(self) -> PxWebConfig:
        return PxWebConfig(
            v1_base_url=self.v1_base_url.rstrip("/"),
            v2_base_url=self.v2_base_url.rstrip("/"),
            max_cells=self.max_cells,
        )

    def http_config(self) -> HttpConfig:
        return HttpConfig(
            calls_per_period=self.calls_per_10_s,
            period_s=10.0,
            read_timeout_s=self.read_timeout_s,
            max_attempts=self.max_attempts,
            rate_limited_hosts=_hosts(PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL),
        )


class ReplayKoladaResource(KoladaResource):
    """Kolada in dev: the replay server's /v3, handed over by ``replay`` (no live request)."""

    replay: ReplayServerResource

    def kolada_config(self) -> KoladaConfig:
        return KoladaConfig(
            base_url=f"{self.replay.url()}/v3", replay_snapshot=self.replay.snapshot
        )


class ReplayPxWebResource(PxWebResource):
    """SCB PxWeb in dev: the replay server's v1 and v2 roots, handed over by ``replay``."""

    replay: ReplayServerResource

    def pxweb_config(self) -> PxWebConfig:
        url = self.replay.url()
        return PxWebConfig(
            v1_base_url=f"{url}/OV0104/v1/doris/sv/ssd",
            v2_base_url=f"{url}/api/v2",
            max_cells=self.max_cells,
            replay_snapshot=self.replay.snapshot,
        )


class PipelinePaths(dg.ConfigurableResource):
    """Where data lives: raw landing, working warehouse and the published copy; which län is
    followed up (default: the strategy owner's, from rus_strategy.csv)."""

    data_dir: str
    region_code: str = default_region()
    first_year: int = 2010
    scope: str = "region"  # which kommuner are fetched: the region's, or the country's

    @property
    def raw_dir(self) -> Path:
        return Path(self.data_dir) / "raw"

    @property
    def warehouse_path(self) -> Path:
        return Path(self.data_dir) / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        return Path(self.data_dir) / "published" / "rus.duckdb"

    @property
    def reports_dir(self) -> Path:
        return Path(self.data_dir) / "reports"


class PostgresTargetResource(dg.ConfigurableResource):
    """The PostgreSQL server BI tools read (RUS_PG_*); an empty host means no PostgreSQL target.

    Passwords come from RUS_PG_PASSWORD and RUS_PG_BI_PASSWORD (Dagster EnvVar: never shown in
    the UI's resource config).
    """

    host: str = ""
    port: int = 5432
    database: str = "rus"
    user: str = "postgres"
    password: str = ""
    bi_role: str = "rus_bi"
    bi_password: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def target(self) -> PgTarget:
        return PgTarget(
            host=self.host,
            port=self.port,
            database=self.database,
            user=self.user,
            password=self.password,
            bi_role=self.bi_role,
            bi_password=self.bi_password,
        )


def postgres_resource(s: Settings) -> PostgresTargetResource:
    pg = s.postgres
    if pg is None:
        return PostgresTargetResource()
    return PostgresTargetResource(
        host=pg.host,
        port=pg.port,
        database=pg.database,
        user=pg.user,
        password=dg.EnvVar("RUS_PG_PASSWORD") if pg.password else "",
        bi_role=pg.bi_role,
        bi_password=dg.EnvVar("RUS_PG_BI_PASSWORD"),
    )


RUN_LOCK = "run_lock"  # the resource key every asset that writes data/ requires


class RunLockResource(dg.ConfigurableResource):
    """Holds the data directory's run lock (runtime/run_lock.py) for the whole run: the
    nightly job runs in one process, so this is set up once when the run starts and released when
    it ends. A second run on the same data directory fails at start, naming the first."""

    data_dir: str
    wait_s: float = 0.0  # how long to wait for the lock before refusing

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[RunLockResource]:
        run = context.run_id if context.run_id else "outside a run"
        with run_lock(Path(self.data_dir), run, self.wait_s):
            yield self


def build_resources(s: Settings | None = None) -> dict[str, object]:
    s = s or settings()
    return {
        **source_resources(s),
        RUN_LOCK: RunLockResource(data_dir=str(s.data_dir)),
        "paths": PipelinePaths(
            data_dir=str(s.data_dir),
            region_code=s.region_code,
            first_year=s.first_year,
            scope=s.scope,
        ),
        "postgres": postgres_resource(s),
        "warehouse": DuckDBResource(database=str(s.warehouse_path)),
        # The dbt installed beside this interpreter (the venv need not be on PATH).
        "dbt": DbtCliResource(
            project_dir=rus_dbt_project, dbt_executable=str(Path(sys.executable).with_name("dbt"))
        ),
    }


def source_resources(s: Settings) -> dict[str, object]:
    """Per deployment: in dev the replay server (started by its resource, URLs handed over),
    in prod the live APIs (or the base URLs the settings name)."""
    if s.env == "dev":
        replay = ReplayServerResource(
            faults_path=str(s.replay_faults or ""),
            snapshot_dir=str(s.replay_snapshot or ""),
            external_url=s.replay_url,
        )
        return {
            "kolada": ReplayKoladaResource(replay=replay),
            "pxweb": ReplayPxWebResource(replay=replay),
        }
    return {
        "kolada": KoladaResource(base_url=s.kolada_base_url),
        "pxweb": PxWebResource(v1_base_url=s.pxweb_v1_base_url, v2_base_url=s.pxweb_v2_base_url),
    }
