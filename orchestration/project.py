"""The dbt project, in its own module so that the CLI can prepare it before assets import."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.env import REPO_ROOT, export_for_dbt, settings

export_for_dbt(settings())

rus_dbt_project = DbtProject(
    project_dir=REPO_ROOT / "dbt_project",
    profiles_dir=REPO_ROOT / "dbt_project",
)
rus_dbt_project.prepare_if_dev()
