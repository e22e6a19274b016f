"""A malformed catalogue stops the ingest asset before any request is made."""

from __future__ import annotations

import csv
import shutil

import dagster as dg
import pytest

from ingest import catalogue
from ingest.errors import CatalogueError

pytestmark = pytest.mark.integration


def test_a_bad_link_fails_the_ingest_asset_before_any_fetch(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(catalogue.SEEDS_DIR, seeds)
    links = seeds / "indicator_links.csv"
    with links.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["link_id"] = "A11"  # there are ten areas
    with links.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(catalogue, "SEEDS_DIR", seeds)

    from orchestration.defs.assets.ingest import raw_kolada
    from orchestration.defs.resources import KoladaResource, PipelinePaths, RunLockResource

    # Nothing listens on port 9 of 127.0.0.1: a request would fail with a connection error.
    resources = {
        "kolada": KoladaResource(base_url="http://127.0.0.1:9/v3", max_attempts=1),
        "paths": PipelinePaths(data_dir=str(tmp_path / "data")),
        "run_lock": RunLockResource(data_dir=str(tmp_path / "data")),
    }
    with pytest.raises(CatalogueError) as err:
        dg.materialize([raw_kolada], resources=resources)
    assert str(err.value).startswith(f"{links}:2: field 'link_id'")
    assert "unknown area code 'A11'" in str(err.value)
    assert not (tmp_path / "data" / "raw").exists()
