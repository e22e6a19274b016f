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

_NOT_SOURCES = {"target", "logs", "dbt_packages"}


def manifest_is_fresh() -> bool:
    """Whether target/manifest.json is newer than every file of the dbt project it was parsed
    from (the manifest only defines the assets; `dbt build` parses again for itself)."""
    manifest = rus_dbt_project.manifest_path
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    root = rus_dbt_project.project_dir
    return not any(
        path.is_file()
        and path.relative_to(root).parts[0] not in _NOT_SOURCES
        and path.stat().st_mtime > built
        for path in root.rglob("*")
    )


def prepare_manifest() -> bool:
    """Parse the dbt project (≈ 10 s) unless the manifest is fresh; True when it parsed."""
    if manifest_is_fresh():
        return False
    rus_dbt_project.preparer.prepare(rus_dbt_project)
    return True
