"""The dbt project, in its own module so that the CLI can prepare it before assets import.

Importing it changes nothing in the process environment: `dbt parse` gets dbt's environment
handed over (runtime/dbt_manifest.py, ``env=``) from the settings read once per process.
"""

from __future__ import annotations

from dagster_dbt import DbtProject, DbtProjectPreparer
from dagster_shared.record import replace

from orchestration.runtime import dbt_manifest
from orchestration.runtime.layout import REPO_ROOT
from orchestration.runtime.settings import current_settings, dbt_env


class RusDbtPreparer(DbtProjectPreparer):
    """`dbt parse` with dbt's environment handed to it. dagster-dbt's own preparer runs dbt with
    a copy of ``os.environ``, which holds RUS_DATA_DIR and RUS_REGION only if something wrote
    them there; under `dagster dev` the manifest is parsed on load, as dagster-dbt's does."""

    def prepare_if_dev(self, project: DbtProject) -> None:
        if self.using_dagster_dev():
            self.prepare(project)

    def prepare(self, project: DbtProject) -> None:
        dbt_manifest.parse(dbt_env(current_settings()), force=True)


# DbtProject takes no preparer (0.29.27); it is a record, whose field is set on a copy. The
# preparer serves `dagster dev` (below), prepare_manifest and the deployment's
# `dagster-dbt project prepare-and-package --file orchestration/defs/project.py`.
rus_dbt_project = replace(
    DbtProject(project_dir=REPO_ROOT / "dbt_project", profiles_dir=REPO_ROOT / "dbt_project"),
    preparer=RusDbtPreparer(),
)
rus_dbt_project.prepare_if_dev()


def prepare_manifest() -> bool:
    """Parse the dbt project (≈ 10 s) unless the manifest is fresh; True when it parsed."""
    if dbt_manifest.manifest_is_fresh(rus_dbt_project.project_dir, rus_dbt_project.manifest_path):
        return False
    rus_dbt_project.preparer.prepare(rus_dbt_project)
    return True
