"""The series-side steps of the gap method one at a time (orchestration/gap_method/targets.py,
rows.py), on hand-worked cases: the catalogue's facts (§1), the assessed series (§2, §3 gap), the
baseline (§2), the target levels (§3) and the symbols at each row (§2)."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method import GapMethodConfig
from orchestration.gap_method.targets import constant_target
from tests.unit.gap_method.builders import method_steps, series_from

NAN = float("nan")


def test_the_facts_take_the_catalogues_defaults_and_the_zero_target_rule():
    steps = method_steps(
        {
            ("zero", "0018", "T"): {2017: 1.0},
            ("total", "1880", "T"): {2017: 1.0},
            ("total", "0000", "T"): {2017: 1.0},
        },
        {"indicator_id": "zero", "target_type": "absolute", "target_value": 0.0},
        {"indicator_id": "total", "measure": "total", "target_year": NAN},
    )
    facts, zero, kommun = steps.facts, steps.series("zero", "0018"), steps.series("total", "1880")
    # A target of exactly 0 is 0.001 (sdg-build); no target year → 2030; no noise floor → 0.
    assert facts.target_value[zero] == 0.001
    assert facts.target_year[kommun] == 2030.0
    assert facts.min_detectable_change[zero] == 0.0
    # Levels inferred from the codes; a total is not comparable across geographies (§6.0).
    assert facts.is_lan[zero] and facts.is_kommun[kommun]
    assert facts.is_riket[steps.series("total", "0000")]
    assert facts.comparable[zero] and not facts.comparable[kommun]


def test_a_gap_indicator_assesses_the_women_men_difference_lower_is_better():
    steps = method_steps(
        {
            ("g", "0018", "K"): {2017: 50.0, 2018: 52.0},
            ("g", "0018", "M"): {2017: 60.0, 2018: 61.0},
            ("g", "0018", "T"): {2017: 55.0, 2018: 56.5},
            ("v", "0018", "T"): {2017: 55.0, 2018: 56.5},
        },
        {"indicator_id": "g", "target_type": "gap"},
        {"indicator_id": "v"},
        synthetic={("g", "0018", "M", 2018)},
    )
    a = steps.assessed
    for sex in ("T", "K", "M"):  # the same |K − M| on every row of the geography
        s = steps.series("g", "0018", sex)
        assert list(a.values[s, -2:]) == [10.0, 9.0] and a.d[s] == -1.0
        assert list(a.synthetic[s, -2:]) == [False, True]  # M's 2018 value is synthetic
    value = steps.series("v", "0018")
    assert list(a.values[value, -2:]) == [55.0, 56.5] and a.d[value] == 1.0


def test_the_baseline_falls_back_to_a_later_year_up_to_2020_or_the_catalogue_year():
    steps = method_steps(
        {
            ("exact", "0018", "T"): series_from(2016, [1.0, 2.0, 3.0]),
            ("later", "0018", "T"): {2019: 5.0, 2020: 6.0},
            ("too_late", "0018", "T"): {2021: 5.0, 2022: 6.0},
            ("base_2021", "0018", "T"): {2022: 5.0},
            ("base_2005", "0018", "T"): {2016: 80.0, 2017: 78.0},
        },
        {"indicator_id": "exact"},
        {"indicator_id": "later"},
        {"indicator_id": "too_late"},
        {"indicator_id": "base_2021", "baseline_year": 2021},
        {"indicator_id": "base_2005", "baseline_year": 2005},
    )
    base, years = steps.base, steps.cube.years

    def year(indicator: str) -> int | None:
        col = base.col[steps.series(indicator, "0018")]
        return int(years[col]) if col >= 0 else None

    # 2017 itself; else the first value up to 2020; up to the catalogue's year when later.
    assert (year("exact"), year("later"), year("too_late")) == (2017, 2019, None)
    assert year("base_2021") is None  # 2022 is after max(2021, 2020)
    assert year("base_2005") == 2016  # first value after 2005, up to 2020
    assert base.value[steps.series("later", "0018")] == 5.0
    assert np.isnan(base.value[steps.series("too_late", "0018")])


def test_the_constant_target_of_each_type():
    types = np.array(["absolute", "relative", "maintain", "maintain", "gap", "direction"])
    value = np.array([80.0, -60.0, NAN, 90.0, 5.0, 3.0])
    x_b = np.array([70.0, 100.0, 7.0, 95.0, 9.0, 1.0])
    target = constant_target(types, value, x_b)
    # relative: 100·(1 − 0.6); maintain without a value holds the baseline level
    np.testing.assert_array_equal(target, [80.0, 40.0, 7.0, 90.0, 5.0, NAN])


@pytest.fixture(scope="module")
def national():
    """Län 0018 and Riket, 2017–2019: a NATIONAL indicator, an absolute one without a value,
    and an absolute one whose target is 4 with lower better."""
    riket = {2017: 60.0, 2018: 0.0, 2019: 62.0}
    county = {2017: 56.0, 2018: 58.0, 2019: 61.0}
    return method_steps(
        {
            ("nat", "0000", "T"): riket,
            ("nat", "0018", "T"): county,
            ("no_value", "0018", "T"): county,
            ("low", "0018", "T"): {2017: 5.0, 2018: 4.5},
        },
        {"indicator_id": "nat", "target_type": "national"},
        {"indicator_id": "no_value", "target_type": "absolute"},
        {
            "indicator_id": "low",
            "target_type": "absolute",
            "target_value": 4.0,
            "direction_sign": -1,
        },
    )


def test_a_national_target_moves_with_riket_except_on_riket_itself(national):
    targets, col = national.targets, national.col(2017)
    county, riket = national.series("nat", "0018"), national.series("nat", "0000")
    assert targets.moving[county] and targets.is_target[county]
    # T_t = Riket's value each year; Riket's 0 in 2018 becomes 0.001 (a target level of 0)
    np.testing.assert_array_equal(targets.level[county, col:], [60.0, 0.001, 62.0])
    # D = d·(A − T): −4 in the baseline year
    assert targets.distance_b[county] == -4.0
    assert targets.distance[county, col + 2] == pytest.approx(-1.0)
    # Riket's own row has no target: the direction rule judges it.
    assert not targets.moving[riket] and not targets.uses_target[riket]
    assert np.isnan(targets.level[riket]).all()
    # The benchmark is Riket's value on every row, with or without a target.
    np.testing.assert_array_equal(targets.benchmark[county, col:], [60.0, 0.0, 62.0])


def test_an_absolute_target_without_a_value_falls_back_to_direction(national):
    targets, s = national.targets, national.series("no_value", "0018")
    assert not targets.is_target[s] and not targets.uses_target[s]
    assert np.isnan(targets.level[s]).all()


def test_the_distance_is_direction_adjusted(national):
    targets, s = national.targets, national.series("low", "0018")
    col = national.col(2017)
    # lower is better: D = −(5 − 4) = −1 in 2017, −(4.5 − 4) = −0.5 in 2018
    np.testing.assert_array_equal(targets.distance[s, col : col + 2], [-1.0, -0.5])


def test_a_peer_target_is_the_mean_of_at_least_three_peers():
    peers = ("0017", "0019", "0020", "0021")
    values = {("p", "0018", "T"): {2017: 10.0, 2018: 11.0}}
    values |= {("p", code, "T"): {2017: 8.0 + i} for i, code in enumerate(peers[:3])}
    values[("p", "0021", "T")] = {2017: 20.0, 2018: 20.0}  # alone in 2018: fewer than three
    cfg = GapMethodConfig(peer_geography_codes=peers)
    steps = method_steps(values, {"indicator_id": "p", "target_type": "peer"}, cfg=cfg)
    s, col = steps.series("p", "0018"), steps.col(2017)
    assert steps.targets.is_peer[s] and steps.targets.moving[s]
    # 2017: (8 + 9 + 10 + 20)/4 = 11.75; 2018: one peer → no level
    assert steps.targets.level[s, col] == pytest.approx(11.75)
    assert np.isnan(steps.targets.level[s, col + 1])


def test_the_symbols_at_each_row_start_at_the_baseline():
    steps = method_steps(
        {
            ("i", "0018", "T"): series_from(2016, [9.0, 10.0, 11.0]),
            ("none", "0018", "T"): {2022: 1.0},
        },
        {"indicator_id": "i", "target_type": "absolute", "target_value": 20.0},
        {"indicator_id": "none"},
    )
    r = steps.rows()
    # No row before the baseline 2017; t, b, x_t, x_b and T_t of the 2018 row
    assert not np.any((r.series == steps.series("i", "0018")) & (r.t == 2016))
    k = steps.row(r, "i", "0018", 2018)
    assert (r.t[k], r.b_year[k], r.x_t[k], r.x_b[k], r.T_t[k]) == (2018, 2017, 11.0, 10.0, 20.0)
    assert (r.D_t[k], r.D_b[k], r.Y[k]) == (-9.0, -10.0, 2030.0)
    # Without a baseline: a row for every value, no b.
    none = steps.row(r, "none", "0018", 2022)
    assert not r.has_b[none] and np.isnan(r.b_year[none]) and np.isnan(r.x_b[none])
