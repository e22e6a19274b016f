"""Dev and prod differ by the resources they get: in dev the replay server, started by its
resource and handed over explicitly; nothing reads or rewrites a base URL in the environment."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.resources import (
    KoladaResource,
    PipelinePaths,
    PxWebResource,
    ReplayKoladaResource,
    ReplayPxWebResource,
    RunLockResource,
    source_resources,
)
from orchestration.runtime.settings import Settings

pytestmark = pytest.mark.integration

# Stands in for a prod endpoint; tests never name an address outside 127.0.0.0/8.
PROD_URL = "http://127.0.0.1:9/v3"


def settings_for(env: str, data_dir: Path) -> Settings:
    return Settings(
        env=env,
        data_dir=data_dir,
        region_code="0020",
        first_year=2020,
        kolada_base_url=PROD_URL,
    )


def test_prod_gets_the_live_apis_and_dev_the_replay_server(tmp_path):
    prod = source_resources(settings_for("prod", tmp_path))
    assert isinstance(prod["kolada"], KoladaResource)
    assert not isinstance(prod["kolada"], ReplayKoladaResource)
    assert prod["kolada"].kolada_config().base_url == PROD_URL
    assert isinstance(prod["pxweb"], PxWebResource)
    dev = source_resources(settings_for("dev", tmp_path))
    assert isinstance(dev["kolada"], ReplayKoladaResource)
    assert isinstance(dev["pxweb"], ReplayPxWebResource)


def test_a_dev_materialization_lands_a_load_from_its_own_replay_server(tmp_path, monkeypatch):
    from orchestration.defs.assets.ingest import raw_kolada, raw_scb

    # Even a base URL in the environment (a dead loopback port) does not leak into dev.
    monkeypatch.setenv("KOLADA_BASE_URL", PROD_URL)
    before = dict(os.environ)
    s = settings_for("dev", tmp_path)
    resources = {
        **source_resources(s),
        "paths": PipelinePaths(data_dir=str(tmp_path), region_code="0020", first_year=2020),
        "run_lock": RunLockResource(data_dir=str(tmp_path)),
    }
    with dg.instance_for_test() as instance:
        result = dg.materialize([raw_kolada, raw_scb], resources=resources, instance=instance)
    assert result.success
    assert dict(os.environ) == before  # nothing rewrote the process environment
    for source in ("kolada", "scb"):
        (load,) = (tmp_path / "raw" / source).iterdir()
        manifest = json.loads((load / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["served_by_replay"] is True and manifest["row_count"] > 0
        assert all(u.startswith("http://127.0.0.1:") for u in manifest["request_urls"])
