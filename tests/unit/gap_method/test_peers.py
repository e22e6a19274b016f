"""PEER targets: the mean of the region's comparable län, configured in the rus_region_peers seed;
a region without peers simply has no PEER benchmark."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from ingest.catalogue import SEEDS_DIR
from orchestration.gap_method import GapMethodConfig, assess_indicators, peers_of
from tests.unit.gap_method.builders import catalogue, series_from, values_frame

PEERS = {
    "0019": [50, 51, 52, 53],
    "0007": [52, 53, 54, 55],
    "0017": [48, 49, 50, 51],
    "0006": [50, 51, 52, 53],
}


def peer_row(config: GapMethodConfig, year: int = 2020) -> pd.Series:
    """The county's (0018) row of a PEER indicator whose four comparable län are PEERS."""
    series = {("p", code, "T"): series_from(2017, v) for code, v in PEERS.items()}
    series[("p", "0018", "T")] = series_from(2017, [45.0, 46.5, 48.0, 49.5])
    gaps = assess_indicators(
        values_frame(series), catalogue({"indicator_id": "p", "target_type": "peer"}), config
    )
    match = (gaps["geography_code"] == "0018") & (gaps["assessment_year"] == year)
    return gaps[match].iloc[0]


def test_a_peer_target_compares_with_the_mean_of_the_peer_lan():
    r = peer_row(GapMethodConfig(peer_geography_codes=tuple(PEERS)))
    # peer mean 2017: (50 + 52 + 48 + 50)/4 = 50, 2020: (53 + 55 + 51 + 53)/4 = 53;
    # distance −5 in 2017, −3.5 in 2020: closing (−3.5 + 5)/3 = 0.5 a year; closing the whole
    # distance by 2030 needs 5/13 = 0.384615 a year → R = 0.5/0.384615 = 1.3 → i fas, score +5
    assert r["benchmark"] == "peers"
    assert r["benchmark_value"] == pytest.approx(53.0)
    assert r["target_level"] == pytest.approx(53.0)
    assert r["actual_pace"] == pytest.approx(0.5)
    assert r["required_pace"] == pytest.approx(5 / 13)
    assert r["backward_ratio"] == pytest.approx(1.3)
    assert r["status"] == "on_track" and r["score"] == pytest.approx(5.0)
    # At the recent pace (another question): 3.5/10 = 0.35 needed → Q = 1.428571
    assert r["forward_ratio"] == pytest.approx(1.428571, abs=1e-6)
    assert r["benchmark_status"] == "behind_closing"


def test_a_region_without_peers_has_no_peer_benchmark_and_is_not_guessed():
    # The default configuration names no peers: no level to judge against, so the status is
    # "otillräckliga data"; the value and the rest of the row are still there.
    assert GapMethodConfig().peer_geography_codes == ()
    r = peer_row(GapMethodConfig())
    assert r["benchmark"] == "peers"
    assert np.isnan(r["benchmark_value"]) and np.isnan(r["target_level"])
    assert r["status"] == "insufficient_data"
    assert r["benchmark_status"] == "insufficient_data"
    assert r["value"] == pytest.approx(49.5)


def test_fewer_peers_with_values_than_the_minimum_give_no_peer_mean():
    # Two peers only: below peer_min_count (3), so no benchmark that year.
    r = peer_row(GapMethodConfig(peer_geography_codes=("0019", "0007")))
    assert np.isnan(r["benchmark_value"])
    assert r["status"] == "insufficient_data"


def test_peers_are_the_rows_of_the_region_under_follow_up():
    pairs = [("0018", "0019"), ("0018", "0007"), ("0020", "0021"), ("0018", "0019")]
    assert peers_of("0018", pairs) == ("0007", "0019")
    assert peers_of("0020", pairs) == ("0021",)
    assert peers_of("0001", pairs) == ()


def test_the_peer_seed_holds_the_four_comparable_lan_of_the_strategy_owner():
    with (SEEDS_DIR / "rus_region_peers.csv").open(newline="", encoding="utf-8") as f:
        pairs = [(r["region_code"], r["peer_region_code"]) for r in csv.DictReader(f)]
    # Västmanland, Kronoberg, Värmland and Jönköping (docs/method.md §3, target type peer).
    assert peers_of("0018", pairs) == ("0006", "0007", "0017", "0019")
    assert peers_of("0020", pairs) == ()
