"""Publish: the BI-facing copy, written only when everything upstream (and its checks) passed."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from ingest.landing import RawLanding
from orchestration.defs.assets.dbt import rus_dbt_models
from orchestration.defs.resources import PipelinePaths, PostgresTargetResource, RunLockResource
from orchestration.publish.postgres import publish_to_postgres
from orchestration.publish.publication import PUBLISHED_TABLES, publish, revision_counts
from orchestration.runtime.change_gate import inputs_fingerprint
from orchestration.runtime.settings import REPO_ROOT


@dg.asset(
    key="published_marts",
    group_name="publish",
    kinds={"duckdb", "parquet"},
    deps=[
        *[
            get_asset_key_for_model([rus_dbt_models], t)
            for s, t in PUBLISHED_TABLES
            if s == "marts"
        ],
        *[dg.AssetKey(t) for s, t in PUBLISHED_TABLES if s == "gaps"],
    ],
)
def published_marts(
    context: dg.AssetExecutionContext, paths: PipelinePaths, run_lock: RunLockResource
) -> dg.MaterializeResult:
    """`data/published/rus.duckdb` and `data/published/parquet/`: marts and gap tables, one
    publication_id on every row (the data version), swapped in atomically."""
    lineage = {
        f"{source}_accepted_loads": RawLanding(paths.raw_dir, source).accepted_loads()[-1:]
        for source in ("kolada", "scb")
    }
    fingerprint = inputs_fingerprint(
        paths.raw_dir, REPO_ROOT, paths.region_code, paths.first_year, paths.scope
    )
    publication = publish(
        paths.warehouse_path,
        paths.published_path.parent,
        lineage=lineage,
        inputs_fingerprint=fingerprint.to_json(),
    )
    # Values revised by the newest accepted loads (this night's, when they landed anything).
    revised = revision_counts(publication.duckdb_path, [i for ids in lineage.values() for i in ids])
    return dg.MaterializeResult(
        data_version=dg.DataVersion(publication.publication_id),
        metadata={
            "publication_id": publication.publication_id,
            "inputs_fingerprint": fingerprint.digest,
            **revised,
            "path": dg.MetadataValue.path(str(publication.duckdb_path)),
            "parquet": dg.MetadataValue.path(str(publication.parquet_dir)),
            **{f"rows.{table}": n for table, n in publication.row_counts.items()},
        },
    )


@dg.asset(
    key="published_postgres",
    group_name="publish",
    kinds={"postgres"},
    deps=[published_marts],
    output_required=False,
)
def published_postgres(
    context: dg.AssetExecutionContext,
    paths: PipelinePaths,
    postgres: PostgresTargetResource,
    run_lock: RunLockResource,
):
    """The published tables in the ``rus`` schema of PostgreSQL (RUS_PG_HOST), swapped in one
    transaction, readable by the read-only BI role. Not materialized when RUS_PG_HOST is unset."""
    if not postgres.enabled:
        context.log.info("RUS_PG_HOST is not set: no PostgreSQL target, nothing to publish there")
        return
    target = postgres.target()
    publication = publish_to_postgres(paths.published_path, target)
    if publication.bi_role_can_create_in_public:
        context.log.warning(
            f"role {target.bi_role} may CREATE in schema public (PostgreSQL < 15 default); "
            "revoke it: REVOKE CREATE ON SCHEMA public FROM PUBLIC"
        )
    yield dg.MaterializeResult(
        metadata={
            "publication_id": publication.publication_id,
            "server": f"{target.host}:{target.port}/{target.database}",
            "schema": publication.schema,
            "bi_role": publication.bi_role,
            **{f"rows.{table}": n for table, n in publication.row_counts.items()},
        }
    )
