"""ingest/ configs get their values handed in: the entry points read the environment and pass a
mapping; the config modules never read ``os.environ``. The politeness toward each live host is
written once and read by everyone who asks it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ingest.config import (
    KOLADA_LIVE_BASE_URL,
    KOLADA_POLITENESS,
    KoladaConfig,
    kolada_base_url,
)
from ingest.live_check import KOLADA_HTTP, SCB_HTTP
from ingest.pxweb.config import (
    PXWEB_V1_LIVE_BASE_URL,
    PXWEB_V2_LIVE_BASE_URL,
    SCB_POLITENESS,
    PxWebConfig,
)

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_kolada_config_takes_the_base_url_handed_in():
    assert KoladaConfig.from_environ({}) == KoladaConfig(KOLADA_LIVE_BASE_URL)
    config = KoladaConfig.from_environ({"KOLADA_BASE_URL": "http://127.0.0.1:9/v3/"})
    assert config.base_url == "http://127.0.0.1:9/v3"
    assert kolada_base_url({"KOLADA_BASE_URL": "x/"}) == "x"  # read, not checked


def test_pxweb_config_takes_the_base_urls_handed_in_and_defaults_to_scb():
    assert PxWebConfig.from_environ({}) == PxWebConfig(
        PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL
    )
    config = PxWebConfig.from_environ(
        {
            "PXWEB_V1_BASE_URL": "http://127.0.0.1:9/OV0104/v1/doris/sv/ssd/",
            "PXWEB_BASE_URL": "http://127.0.0.1:9/api/v2",
        }
    )
    assert config.v1_base_url == "http://127.0.0.1:9/OV0104/v1/doris/sv/ssd"
    assert config.v2_base_url == "http://127.0.0.1:9/api/v2"
    assert config.max_cells == 100_000 and config.lang == "sv"


@pytest.mark.parametrize("path", ["ingest/config.py", "ingest/pxweb/config.py"])
def test_the_config_modules_never_read_the_environment(path):
    tree = ast.parse((REPO_ROOT / path).read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "os" not in names


def test_the_politeness_is_written_once_and_read_by_every_asker():
    from benchmarks.floor import POLITENESS_LIVE
    from orchestration.defs.resources import KoladaResource, PxWebResource

    kolada, scb = KoladaResource().http_config(), PxWebResource().http_config()
    assert (kolada.calls_per_period, kolada.period_s) == (5, 1.0)
    assert (scb.calls_per_period, scb.period_s) == (10, 10.0)
    assert kolada == KOLADA_POLITENESS.http_config() and scb == SCB_POLITENESS.http_config()
    assert KoladaConfig().concurrency == KOLADA_POLITENESS.concurrency == 4
    assert kolada.rate_limited_hosts == frozenset({"api.kolada.se"})
    assert scb.rate_limited_hosts == frozenset({"api.scb.se", "statistikdatabasen.scb.se"})
    # live-check: the same politeness with fewer attempts (a check, not a load)
    assert KOLADA_HTTP.calls_per_period == 5 and KOLADA_HTTP.max_attempts == 3
    assert SCB_HTTP.read_timeout_s == 60.0 and SCB_HTTP.period_s == 10.0
    floor = POLITENESS_LIVE
    assert (floor["kolada"].concurrency, floor["kolada"].calls) == (4, 5)
    assert (floor["scb"].concurrency, floor["scb"].calls, floor["scb"].period_s) == (1, 10, 10.0)
