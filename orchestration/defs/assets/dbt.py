"""dbt models (staging → intermediate → marts) and seeds as Dagster assets via dagster-dbt.

In the nightly job the build first asks the change gate (orchestration/runtime/change_gate.py)
whether its inputs changed since what is published; when they did not, it builds nothing, and
Dagster skips the gap tables, the report and the publication with it (see :func:`skip_unchanged`).
"""

import time
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.jobs import NIGHTLY_JOB
from orchestration.defs.project import rus_dbt_project
from orchestration.defs.resources import PipelinePaths, PostgresTargetResource, RunLockResource
from orchestration.runtime import change_gate
from orchestration.runtime.settings import REPO_ROOT

# What a skipped build leaves as it is (Dagster skips their steps), for the run's tags and log.
SKIPPED_WITH_DBT = ("dbt models", "gap tables", "followup_report", "published_marts")
# Published assets confirmed current on a skipped night (their freshness checks read this).
CONFIRMED_ON_SKIP = ("published_marts", "followup_report")
SKIP_TAG = "rus/skipped"
SKIP_REASON_TAG = "rus/skip_reason"

LAYERS = ("staging", "intermediate", "marts")


class RusDbtTranslator(DagsterDbtTranslator):
    """Asset key = table name; group = layer (the model's folder); seeds form the group 'seeds'."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

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
    dagster_dbt_translator=RusDbtTranslator(),
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
    yield from dbt.cli(["build"], context=context).stream()


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
    skip tags the run with what was skipped and confirms the published assets current."""
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
    for event in _confirmations(published, decision.reason):
        context.log_event(event)
    return True


def _confirmations(published: change_gate.Published, reason: str) -> Iterator[dg.AssetObservation]:
    now = dg.MetadataValue.timestamp(time.time())
    for key in CONFIRMED_ON_SKIP:
        yield dg.AssetObservation(
            asset_key=key,
            metadata={
                "publication_id": published.publication_id,
                "confirmed_current": reason,
                "dagster/last_updated_timestamp": now,
            },
        )
