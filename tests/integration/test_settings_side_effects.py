"""Importing the code location changes nothing: the process environment is the same before and
after, settings are read once per process, and dbt gets its variables where it is invoked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from orchestration.runtime.settings import dbt_variables, read_settings
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

# What the code location used to write at import (export_for_dbt, expectations/runner.py):
# absent from the child's environment, so a write (even a setdefault) shows.
ONCE_WRITTEN = (
    "RUS_DATA_DIR",
    "RUS_REGION",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "GX_ANALYTICS_ENABLED",
    "DAGSTER_HOME",
    "DAGSTER_IS_DEV_CLI",
)

IMPORT_AND_COMPARE = textwrap.dedent(
    """
    import importlib, json, os, sys

    before = dict(os.environ)
    for name in sys.argv[1:]:
        importlib.import_module(name)
    after = dict(os.environ)
    changed = {
        k: [before.get(k), after.get(k)]
        for k in sorted(before.keys() | after.keys())
        if before.get(k) != after.get(k)
    }
    from orchestration.runtime.settings import current_settings

    print(json.dumps({"changed": changed, "reads": current_settings.cache_info().misses}))
    """
)


def import_in_a_fresh_process(*modules: str, **env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ONCE_WRITTEN}
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_COMPARE, *modules],
        cwd=REPO_ROOT,
        env={**base, "RUS_ENV": "dev", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_importing_the_code_location_leaves_the_environment_unchanged():
    result = import_in_a_fresh_process("orchestration.definitions")
    assert result["changed"] == {}
    assert result["reads"] == 1  # the settings, read once for the whole code location


@pytest.mark.parametrize(
    "module",
    [
        "expectations.runner",
        "orchestration.defs.project",
        "orchestration.runtime.settings",
        "orchestration.publish.pg_warehouse",
        "ingest.config",
        "ingest.pxweb.config",
    ],
)
def test_importing_a_module_that_once_wrote_the_environment_writes_nothing(module):
    assert import_in_a_fresh_process(module)["changed"] == {}


def test_under_dagster_dev_the_manifest_is_parsed_with_dbts_environment_handed_over(tmp_path):
    # `dagster dev` parses the dbt project when the code location loads; dbt gets RUS_DATA_DIR
    # from the settings (no longer from an exported variable), and nothing is written.
    result = import_in_a_fresh_process(
        "orchestration.defs.project", DAGSTER_IS_DEV_CLI="1", RUS_DATA_DIR=str(tmp_path)
    )
    assert result["changed"] == {}
    assert result["reads"] == 1


def test_the_dbt_resource_hands_dbt_its_variables_for_the_call_only(monkeypatch, tmp_path):
    from dagster_dbt import DbtCliResource

    from orchestration.defs.resources import build_resources

    s = read_settings({"RUS_ENV": "dev", "RUS_DATA_DIR": str(tmp_path), "RUS_REGION": "0020"})
    dbt = build_resources(s)["dbt"]
    assert dbt.env == dbt_variables(s) == {"RUS_DATA_DIR": str(tmp_path), "RUS_REGION": "0020"}
    seen = {}

    def cli(self, args, **kwargs):  # where dagster-dbt copies os.environ for the subprocess
        seen.update({k: os.environ.get(k) for k in ("RUS_DATA_DIR", "RUS_REGION")})
        return "invocation"

    monkeypatch.setattr(DbtCliResource, "cli", cli)
    monkeypatch.setenv("RUS_REGION", "0001")
    monkeypatch.delenv("RUS_DATA_DIR", raising=False)
    before = dict(os.environ)
    assert dbt.cli(["build"]) == "invocation"
    assert seen == {"RUS_DATA_DIR": str(tmp_path), "RUS_REGION": "0020"}
    assert dict(os.environ) == before  # put back: RUS_REGION as it was, RUS_DATA_DIR unset
