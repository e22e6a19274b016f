"""dbt models (staging → intermediate → marts) and seeds as Dagster assets via dagster-dbt.

Each model's materialization carries its row count and column schema (with column lineage), read
from the warehouse once the build is over (DuckDB has one writer; dagster-dbt waits for dbt).

In the nightly job the build first asks the change gate (orchestration/runtime/change_gate.py)
whether its inputs changed since what is published; when they did not, it builds nothing, and
Dagster skips the gap tables, the report and the publication with it (see :func:`skip_unchanged`).
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import dagster as dg
from dagster._core.definitions.data_version import DATA_VERSION_TAG
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    dbt_assets,
)
from dbt.adapters.duckdb import DuckDBAdapter

from orchestration.defs.jobs import NIGHTLY_JOB
from orchestration.defs.project import rus_dbt_project
from orchestration.defs.resources import PipelinePaths, PostgresTargetResource, RunLockResource
from orchestration.defs.stewardship import WATCHED_ASSETS, is_watched
from orchestration.runtime import change_gate
from orchestration.runtime.settings import REPO_ROOT

# What a skipped build leaves as it is (Dagster skips their steps), for the run's tags and log.
SKIPPED_WITH_DBT = ("dbt models", "gap tables", "followup_report", "published_marts")
SKIP_TAG = "rus/skipped"
SKIP_REASON_TAG = "rus/skip_reason"

LAYERS = ("staging", "intermediate", "marts")
# Materialization metadata of the build itself, not of the data: not carried into a confirmation.
OF_THE_BUILD = frozenset({"Execution Duration", "invocation_id"})


class RusDbtTranslator(DagsterDbtTranslator):
    """Asset key = table name; group = layer (the model's folder); seeds form the group 'seeds'."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The yml description as written (dagster-dbt would append the raw SQL; the UI links
        the model's file instead: code references)."""
        described = str(dbt_resource_props.get("description") or "").strip()
        kind, name = dbt_resource_props["resource_type"], dbt_resource_props["name"]
        return described or f"dbt {kind} {name}"

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        for layer in LAYERS:
            if layer in fqn:
                return layer
        return super().get_group_name(dbt_resource_props)


class DbtBuildConfig(dg.Config):
    """``rebuild``: build even when the inputs are unchanged since the publication (the nightly
    job otherwise skips the build, the gap tables, the report and the publication)."""

    rebuild: bool = False


@dbt_assets(
    manifest=rus_dbt_project.manifest_path,
    project=rus_dbt_project,
    dagster_dbt_translator=RusDbtTranslator(
        settings=DagsterDbtTranslatorSettings(enable_code_references=True)
    ),
)
def rus_dbt_models(
    context: dg.AssetExecutionContext,
    config: DbtBuildConfig,
    dbt: DbtCliResource,
    paths: PipelinePaths,
    postgres: PostgresTargetResource,
    run_lock: RunLockResource,
):
    """dbt build: seeds, staging, intermediate, marts (with tests) in data/warehouse.duckdb."""
    nightly = context.run.job_name == NIGHTLY_JOB and not config.rebuild
    if nightly and skip_unchanged(context, paths, postgres.enabled):
        return
    invocation = dbt.cli(["build"], context=context)
    try:
        yield from invocation.stream().fetch_row_counts().fetch_column_metadata()
    finally:
        release_warehouse(invocation)


def release_warehouse(invocation: DbtCliInvocation) -> None:
    """Close the warehouse dagster-dbt opened in this process to read row counts and schemas.

    dbt-duckdb keeps its DuckDB database open in a class attribute after the build; the checks
    and gap steps that follow in the same process open the file with their own settings, which
    DuckDB refuses while another configuration holds it open."""
    adapter = invocation.adapter
    if adapter is None:
        return
    adapter.cleanup_connections()
    manager = type(adapter).ConnectionManager
    if isinstance(adapter, DuckDBAdapter) and manager._ENV is not None:
        manager.env().close()
        manager.close_all_connections()


def published_state(
    instance: dg.DagsterInstance, paths: PipelinePaths, postgres_enabled: bool
) -> change_gate.Published | None:
    """The publication, and which publication the report and PostgreSQL were written from."""
    publication = change_gate.read_publication(paths.published_path)
    if publication is None:
        return None

    def written_from(key: str) -> str | None:
        event = instance.get_latest_materialization_event(dg.AssetKey(key))
        value = event.asset_materialization.metadata.get("publication_id") if event else None
        return str(value.value) if value is not None else None

    return change_gate.Published(
        *publication,
        report_publication=written_from("followup_report"),
        postgres_publication=written_from("published_postgres") if postgres_enabled else None,
    )


def skip_unchanged(
    context: dg.AssetExecutionContext, paths: PipelinePaths, postgres_enabled: bool
) -> bool:
    """Whether the build (and all downstream of it) can be skipped; says why either way, and on a
    skip tags the run with what was skipped and confirms the watched assets current."""
    current = change_gate.inputs_fingerprint(
        paths.raw_dir, REPO_ROOT, paths.region_code, paths.first_year, paths.scope
    )
    published = published_state(context.instance, paths, postgres_enabled)
    decision = change_gate.decide(current, published, postgres_enabled)
    if not decision.skip:
        context.log.info(f"dbt build: {decision.reason}")
        return False
    skipped = ", ".join(SKIPPED_WITH_DBT)
    context.log.info(f"skipped as unchanged: {skipped}; {decision.reason}")
    context.instance.add_run_tags(
        context.run.run_id, {SKIP_TAG: skipped, SKIP_REASON_TAG: decision.reason}
    )
    watched = [s.key for s in context.assets_def.specs if is_watched(s)]
    watched += [dg.AssetKey(key) for key in sorted(WATCHED_ASSETS)]
    for event in confirmations(context.instance, watched, decision.reason):
        context.log_event(event)
    return True


def confirmations(
    instance: dg.DagsterInstance, keys: Iterable[dg.AssetKey], reason: str
) -> Iterator[dg.AssetMaterialization]:
    """Per asset: a materialization confirming it current, carrying its latest materialization's
    metadata (row counts, schema, publication id, the report's paths) and the reason. Dagster's
    freshness reads materializations, so a quiet night keeps the watched assets fresh; the
    data version stays the one already published."""
    for key in keys:
        event = instance.get_latest_materialization_event(key)
        latest = event.asset_materialization if event else None
        if latest is None:
            continue  # never built: nothing to confirm
        yield dg.AssetMaterialization(
            asset_key=key,
            description="Confirmed current: inputs unchanged, nothing rebuilt.",
            metadata={
                **{k: v for k, v in latest.metadata.items() if k not in OF_THE_BUILD},
                change_gate.CONFIRMED_CURRENT: reason,
            },
            tags={k: v for k, v in (latest.tags or {}).items() if k == DATA_VERSION_TAG},
        )
