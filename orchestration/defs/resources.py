"""Resources: thin wrappers that hand typed settings to the plain ingest/publish functions."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliInvocation, DbtCliResource
from dagster_duckdb import DuckDBResource
from pydantic import Field

from ingest.catalogue import default_region
from ingest.config import (
    FIRST_YEAR,
    KOLADA_LIVE_BASE_URL,
    KOLADA_POLITENESS,
    HttpConfig,
    KoladaConfig,
)
from ingest.pxweb.config import (
    PXWEB_V1_LIVE_BASE_URL,
    PXWEB_V2_LIVE_BASE_URL,
    SCB_MAX_CELLS,
    SCB_POLITENESS,
    PxWebConfig,
)
from orchestration.defs.project import rus_dbt_project
from orchestration.defs.replay_resource import ReplayServerResource
from orchestration.runtime.layout import DataLayout
from orchestration.runtime.pg_settings import PgTarget
from orchestration.runtime.run_lock import run_lock
from orchestration.runtime.settings import Settings, current_settings, dbt_variables


class KoladaResource(dg.ConfigurableResource):
    """Where Kolada is and how politely to ask (base URL from KOLADA_BASE_URL; the politeness
    defaults are ingest/config.py's KOLADA_POLITENESS)."""

    base_url: str = KOLADA_LIVE_BASE_URL
    calls_per_second: int = KOLADA_POLITENESS.calls
    read_timeout_s: float = KOLADA_POLITENESS.read_timeout_s
    max_attempts: int = KOLADA_POLITENESS.max_attempts

    def kolada_config(self) -> KoladaConfig:
        return KoladaConfig(base_url=self.base_url.rstrip("/"))

    def http_config(self) -> HttpConfig:
        return KOLADA_POLITENESS.http_config(
            calls_per_period=self.calls_per_second,
            read_timeout_s=self.read_timeout_s,
            max_attempts=self.max_attempts,
        )


class PxWebResource(dg.ConfigurableResource):
    """Where SCB's PxWeb APIs are (PXWEB_V1_BASE_URL, PXWEB_BASE_URL) and SCB's limits.

    SCB's open-data page: at most 10 calls per 10 s per IP and 100 000 values per request
    (ingest/pxweb/config.py's SCB_POLITENESS and SCB_MAX_CELLS are the defaults).
    """

    v1_base_url: str = PXWEB_V1_LIVE_BASE_URL
    v2_base_url: str = PXWEB_V2_LIVE_BASE_URL
    calls_per_10_s: int = SCB_POLITENESS.calls
    max_cells: int = SCB_MAX_CELLS
    read_timeout_s: float = SCB_POLITENESS.read_timeout_s
    max_attempts: int = SCB_POLITENESS.max_attempts

    def pxweb_config(self) -> PxWebConfig:
        return PxWebConfig(
            v1_base_url=self.v1_base_url.rstrip("/"),
            v2_base_url=self.v2_base_url.rstrip("/"),
            max_cells=self.max_cells,
        )

    def http_config(self) -> HttpConfig:
        return SCB_POLITENESS.http_config(
            calls_per_period=self.calls_per_10_s,
            read_timeout_s=self.read_timeout_s,
            max_attempts=self.max_attempts,
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
    first_year: int = FIRST_YEAR
    scope: str = "region"  # which kommuner are fetched: the region's, or the country's

    @property
    def layout(self) -> DataLayout:
        return DataLayout(Path(self.data_dir))

    @property
    def raw_dir(self) -> Path:
        return self.layout.raw_dir

    @property
    def warehouse_path(self) -> Path:
        return self.layout.warehouse_path

    @property
    def published_path(self) -> Path:
        return self.layout.published_path

    @property
    def reports_dir(self) -> Path:
        return self.layout.reports_dir


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


class DbtResource(DbtCliResource):
    """dbt with the variables its project reads handed over on every invocation (``env``:
    RUS_DATA_DIR and RUS_REGION from the settings, see runtime/settings.py ``dbt_variables``).

    dagster-dbt 0.29.27 has no parameter for dbt's environment: ``DbtCliResource.cli()`` builds
    it from ``os.environ`` there and then, for the dbt subprocess and for the adapter it opens
    in this process. Its maintainers' answer (dagster-io/dagster#29656) is to set the variables
    around the call; :meth:`cli` does that for the length of the call only and puts back what
    was there, so importing or building the code location writes nothing.
    """

    env: dict[str, str] = Field(
        default_factory=dict, description="What dbt's project reads from its environment."
    )

    def cli(self, args: Sequence[str], **kwargs: Any) -> DbtCliInvocation:
        with _environment(self.env):
            return super().cli(args, **kwargs)


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in ``os.environ`` inside the block, what was there before after it."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_resources(s: Settings | None = None) -> dict[str, object]:
    s = s or current_settings()
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
        "dbt": DbtResource(
            project_dir=rus_dbt_project,
            dbt_executable=str(Path(sys.executable).with_name("dbt")),
            env=dbt_variables(s),
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
