"""Any län by configuration: the default region is the strategy owner's (rus_strategy.csv), a bad
RUS_REGION is an error listing the län codes, and no code names a particular region."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest

from ingest.__main__ import main as ingest_main
from ingest.catalogue import SEEDS_DIR, default_region
from ingest.errors import CatalogueError
from orchestration.publish.publication import PUBLISHED_TABLES
from orchestration.runtime.run_summary import collect, report_summary
from orchestration.runtime.settings import settings

REPO_ROOT = Path(__file__).resolve().parents[2]
HEADER = "strategy_id,title,short_title,owner,owner_region_code,period_start,period_end,source\n"


def test_the_default_region_is_the_strategy_owners(tmp_path):
    assert default_region() == "0018"  # Region Örebro län's strategy is the one seeded
    other = tmp_path / "rus_strategy.csv"
    other.write_text(HEADER + "s,Strategi,S,Region Dalarna,0020,2020,2035,doc\n", "utf-8")
    assert default_region(other) == "0020"


def test_a_strategy_seed_with_more_than_one_row_is_an_error(tmp_path):
    seed = tmp_path / "rus_strategy.csv"
    seed.write_text(HEADER + "a,A,A,X,0018,2018,2030,d\nb,B,B,Y,0020,2018,2030,d\n", "utf-8")
    with pytest.raises(CatalogueError, match="2 rows; expected one"):
        default_region(seed)


@pytest.mark.parametrize("unset", [None, ""], ids=["unset", "empty"])
def test_settings_follow_the_strategy_owner_without_rus_region(monkeypatch, unset):
    if unset is None:
        monkeypatch.delenv("RUS_REGION", raising=False)
    else:
        monkeypatch.setenv("RUS_REGION", unset)
    assert settings().region_code == default_region()


def test_a_replay_snapshot_that_is_no_snapshot_directory_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("RUS_REPLAY_SNAPSHOT", str(tmp_path))
    with pytest.raises(ValueError, match=r"RUS_REPLAY_SNAPSHOT=.*expected a snapshot directory"):
        settings()
    (tmp_path / "kolada").mkdir()
    assert settings().replay_snapshot == tmp_path.resolve()


def test_settings_follow_any_lan_given_in_rus_region(monkeypatch):
    monkeypatch.setenv("RUS_REGION", "0020")
    assert settings().region_code == "0020"


@pytest.mark.parametrize("bad", ["0099", "1880", "18", "Örebro"])
def test_a_bad_rus_region_names_the_variable_and_lists_the_lan_codes(monkeypatch, bad):
    monkeypatch.setenv("RUS_REGION", bad)
    with pytest.raises(ValueError, match=f"RUS_REGION '{bad}' is not a län code") as err:
        settings()
    assert "0001 (Stockholms län)" in str(err.value) and "0025 (Norrbottens län)" in str(err.value)
    assert len(re.findall(r"\b00\d\d \(", str(err.value))) == 21


def test_the_ingest_command_defaults_to_the_strategy_owners_region(capsys):
    with pytest.raises(SystemExit):
        ingest_main(["fetch", "--help"])
    assert f"default {default_region()}" in " ".join(capsys.readouterr().out.split())


def test_the_run_prints_the_reports_summary_line():
    def event(asset: str, **metadata) -> SimpleNamespace:
        materialization = dg.AssetMaterialization(asset_key=asset, metadata=metadata)
        return SimpleNamespace(
            event_type_value="ASSET_MATERIALIZATION",
            event_specific_data=SimpleNamespace(materialization=materialization),
        )

    line = "Örebro län 2022: 44 bedömningar, 100 % på enbart verkliga värden (r.html)"
    events = [event("published_marts", rows=1), event("followup_report", summary=line)]
    assert report_summary(collect(events, "run", True), "followup_report") == line
    assert report_summary(collect([], "run", True), "followup_report") is None


def test_the_strategy_is_published_once_beside_its_structure():
    names = [table for _, table in PUBLISHED_TABLES]
    assert len(names) == len(set(names))
    assert ("marts", "dim_strategy") in PUBLISHED_TABLES
    seeded = (SEEDS_DIR / "rus_strategy.csv").read_text(encoding="utf-8").splitlines()
    assert len(seeded) == 2  # header and the one strategy


# Örebro län, its code and its twelve kommuner's codes.
REGION_NAMES = re.compile(r"Örebro|\b0018\b|\b18(14|6[0-4]|8[0-5])\b")
CODE = [
    *(REPO_ROOT / "orchestration").rglob("*.py"),
    # ingest/snapshot and ingest/replay serve data for every län (and are maintained apart).
    *(p for p in (REPO_ROOT / "ingest").rglob("*.py") if not {"snapshot", "replay"} & set(p.parts)),
    *(REPO_ROOT / "expectations").rglob("*.py"),
    *(REPO_ROOT / "dbt_project" / "models").rglob("*.*"),
    *(REPO_ROOT / "dbt_project" / "macros").rglob("*.sql"),
    *(REPO_ROOT / "dbt_project" / "tests").rglob("*.sql"),
    REPO_ROOT / "dbt_project" / "dbt_project.yml",
]


def test_no_code_names_a_region_or_its_kommuner():
    # The strategy's own texts (dbt_project/seeds/rus_*.csv) may; the code may not.
    named = [
        f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}"
        for path in CODE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if REGION_NAMES.search(line)
    ]
    assert named == []
