"""Strengths and areas to explore: the largest direction-adjusted differences from Riket (or the
län median), and the largest moves since the baseline."""

from __future__ import annotations

import math

from orchestration.reporting.explore import explore, explore_sentences

LABELS = {"a": "Andelen a", "b": "Ungdomsarbetslösheten", "c": "BRP c", "d": "Andelen d"}


def row(iid, value, national, baseline, sign=1):
    return {"indicator_id": iid, "value": value, "national_value": national,
            "baseline_value": baseline, "baseline_year_used": 2017,
            "direction_sign": sign}  # fmt: skip


def test_the_largest_differences_in_the_desired_direction_are_strengths_and_gaps():
    rows = [
        row("a", 60.0, 50.0, 55.0),  # 20 % better than Riket, +9 % since the baseline
        row("b", 12.0, 10.0, 15.0, sign=-1),  # lower is better: 20 % worse, 20 % improved
        row("c", 99.0, 100.0, 110.0),  # 1 % worse, 10 % worse since the baseline
        row("d", 30.0, math.nan, 30.0),  # no Riket value: the län median (25) instead
    ]
    found = explore(rows, {"d": 25.0})
    assert [(d.indicator_id, d.against) for d in found.strengths] == [
        ("a", "riket"),
        ("d", "länens median"),
    ]
    assert [d.indicator_id for d in found.to_explore] == ["b", "c"]
    assert [m[0] for m in found.improved] == ["b", "a"]
    assert [m[0] for m in found.worsened] == ["c"]
    lines = explore_sentences(found, LABELS)
    assert (
        lines[0]
        == "Styrkor: andelen a (20 % bättre än riket); andelen d (20 % bättre än länens median)."
    )
    assert lines[1].startswith("Att utforska: ungdomsarbetslösheten (20 % sämre än riket)")
    assert lines[3] == "Mest försämrat sedan basåret: BRP c (10 % sedan 2017)."


def test_without_values_nothing_is_claimed():
    assert explore_sentences(explore([row("a", math.nan, 5.0, 5.0)], {}), LABELS) == []
