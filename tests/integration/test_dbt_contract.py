"""The marts are the BI contract: dbt refuses to build a mart whose column changed type, and says
which column. Run on a copy of the dbt project whose yml declares one type differently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.dbt import run_dbt

pytestmark = pytest.mark.integration

MARTS_YML = Path("models") / "marts" / "_marts__models.yml"


def declared_types() -> dict[str, dict[str, str]]:
    document = yaml.safe_load((REPO_ROOT / "dbt_project" / MARTS_YML).read_text(encoding="utf-8"))
    return {
        model["name"]: {c["name"]: c.get("data_type") for c in model["columns"]}
        for model in document["models"]
    }


def test_every_mart_declares_a_type_for_every_column_and_enforces_it():
    untyped = [(m, c) for m, cols in declared_types().items() for c, t in cols.items() if not t]
    assert untyped == []
    project = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    marts = project["models"]["rus"]["marts"]
    assert marts["+contract"]["enforced"] == "{{ target.type == 'duckdb' }}"
    assert marts["+persist_docs"] == {"relation": True, "columns": True}


def test_a_changed_column_type_fails_the_build_naming_the_column(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(
        REPO_ROOT / "dbt_project",
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"),
    )
    yml = project / MARTS_YML
    text = yml.read_text(encoding="utf-8")
    declared = "      - name: goal_name\n        data_type: varchar\n"
    assert declared in text
    yml.write_text(text.replace(declared, declared.replace("varchar", "integer")), encoding="utf-8")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    proc = run_dbt(project, data_dir, tmp_path / "target", "build", "--select", "+dim_goal")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert "contract" in out.lower(), out[-3000:]
    assert "goal_name" in out and "INTEGER" in out.upper(), out[-3000:]
