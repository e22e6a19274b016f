"""The dbt project, in its own module so that the CLI can prepare it before assets import."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.runtime.dbt_manifest import manifest_is_fresh
from orchestration.runtime.settings import REPO_ROOT, export_for_dbt, settings

export_for_dbt(settings())

rus_dbt_project = DbtProject(
    project_dir=REPO_ROOT / "dbt_project",
    profiles_dir=REPO_ROOT / "dbt_project",
)
rus_dbt_project.prepare_if_dev()


def prepare_manifest() -> bool:
    """Parse the dbt project (≈ 10 s) unless the manifest is fresh; True when it parsed."""
    if manifest_is_fresh(rus_dbt_project.project_dir, rus_dbt_project.manifest_path):
        return False
    rus_dbt_project.preparer.prepare(rus_dbt_project)
    return True
