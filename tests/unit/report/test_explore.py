"""Strengths and areas to explore: the largest direction-adjusted differences from Riket (or the
län median), and the best and worst developments since the baseline, each agreeing with the
verdict beside it; a total is never set against another geography."""

from __future__ import annotations

import math

from orchestration.report.explore import explore, explore_sentences

LABELS = {
    "a": "Andelen a",
    "b": "Ungdomsarbetslösheten",
    "c": "BRP c",
    "d": "Andelen d",
    "e": "Utsläpp av växthusgaser",
    "f": "Gymnasieexamen inom fyra år",
}
SHARE = {"scale": "percent", "unit": "andel (%)", "measure": "intensive"}
AMOUNT = {"scale": "amount", "unit": "kr/inv", "measure": "intensive"}
TOTAL = {"scale": "count", "unit": "ton CO2-ekv", "measure": "total"}
METAS = {"a": SHARE, "b": SHARE, "c": AMOUNT, "d": SHARE, "e": TOTAL, "f": SHARE}


def row(iid, value, national, baseline, sign=1, status="too_slow", score=-1.0, **kw):
    return {"indicator_id": iid, "value": value, "national_value": national,
            "baseline_value": baseline, "baseline_year_used": 2017,
            "direction_sign": sign, "status": status, "score": score,
            "target_type": "direction"} | kw  # fmt: skip


def test_the_largest_differences_in_the_desired_direction_are_strengths_and_gaps():
    rows = [
        row("a", 60.0, 50.0, 55.0, status="on_track", score=3.0),  # 20 % better than Riket
        row("b", 12.0, 10.0, 15.0, sign=-1, status="on_track", score=5.0),  # 20 % worse
        row("c", 99.0, 100.0, 110.0, status="wrong_direction", score=-5.0),  # 1 % worse
        row("d", 30.0, math.nan, 30.0),  # no Riket value: the län median (25) instead
    ]
    found = explore(rows, {"d": 25.0}, METAS)
    assert [(d.indicator_id, d.against) for d in found.strengths] == [
        ("a", "riket"),
        ("d", "länens median"),
    ]
    assert [d.indicator_id for d in found.to_explore] == ["b", "c"]
    assert [m.indicator_id for m in found.improved] == ["b", "a"]
    assert [m.indicator_id for m in found.worsened] == ["c"]
    lines = explore_sentences(found, LABELS)
    # Shares differ in procentenheter, other measures in per cent; higher/lower in words.
    assert lines[0] == (
        "Styrkor: andelen a (10 procentenheter högre än riket); "
        "andelen d (5 procentenheter högre än länens median)."
    )
    assert lines[1].startswith(
        "Att utforska: ungdomsarbetslösheten (2 procentenheter högre än riket)"
    )
    assert lines[2] == (
        "Mest förbättrat sedan basåret: ungdomsarbetslösheten (minskade med 3 procentenheter "
        "sedan 2017); andelen a (ökade med 5 procentenheter sedan 2017)."
    )
    assert lines[3] == "Mest försämrat sedan basåret: BRP c (minskade med 10 % sedan 2017)."


def test_the_development_lists_agree_with_each_verdict():
    """An indicator whose value rose but whose status says it goes the wrong way (Riket rose
    faster) is never "mest förbättrat"; its figure is the distance the status reads."""
    rows = [
        row(
            "f",
            73.09,
            73.67,
            72.06,
            status="wrong_direction",
            score=-5.0,
            target_type="national",
            benchmark="riket",
            benchmark_value=73.67,
            benchmark_baseline_value=70.91,
        ),
        row("a", 60.0, 50.0, 58.0, status="stagnating", score=-2.5),
    ]
    found = explore(rows, {}, METAS)
    assert found.improved == []
    assert [m.indicator_id for m in found.worsened] == ["f"]
    (line,) = [s for s in explore_sentences(found, LABELS) if s.startswith("Mest försämrat")]
    assert line == (
        "Mest försämrat sedan basåret: gymnasieexamen inom fyra år (från 1,2 procentenheter "
        "före till 0,58 procentenheter efter riket sedan 2017)."
    )


def test_a_total_is_never_a_strength_or_an_area_to_explore():
    # Örebro län's emissions 1.17 Mt against Riket's 45.1 Mt measure the county's size.
    rows = [row("e", 1_173_942.7, 45_116_576.3, 1_776_107.2, sign=-1, status="nearly_on_track")]
    found = explore(rows, {}, METAS)
    assert found.strengths == [] and found.to_explore == []
    # Its own development is still told, in per cent of where it started.
    assert [m.words for m in found.improved] == ["minskade med 34 % sedan 2017"]


def test_without_values_nothing_is_claimed():
    assert explore_sentences(explore([row("a", math.nan, 5.0, 5.0)], {}, METAS), LABELS) == []
