"""dbt models (staging → intermediate → marts) and seeds as Dagster assets via dagster-dbt."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.project import rus_dbt_project
from orchestration.resources import RunLockResource

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


@dbt_assets(
    manifest=rus_dbt_project.manifest_path,
    project=rus_dbt_project,
    dagster_dbt_translator=RusDbtTranslator(),
)
def rus_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, run_lock: RunLockResource
):
    """dbt build: seeds, staging, intermediate, marts (with tests) in data/warehouse.duckdb."""
    yield from dbt.cli(["build"], context=context).stream()
