"""Strengths and areas to explore per kraftsamling, as County Health Rankings picks them: where
the county differs most from Riket (or, without a Riket value, the median of the län), and which
indicators developed best and worst since the baseline. Pure functions over the county's current
gap rows; no Dagster imports.

Each list agrees with the verdicts beside it (docs/method.md §11): "mest förbättrat" holds only
indicators whose status is i fas or nästan i fas, "mest försämrat" only those going the wrong
way, each ordered by the score of that status, and the figure printed is the quantity the status
reads (the distance to the benchmark for a NATIONAL or PEER target, the value otherwise). A total
(tonnes, hectares, inhabitants) is never set against another geography: its intensive sibling
is compared instead, where the catalogue names one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from orchestration.gap_method import changes as ch
from orchestration.gap_method.numbers import as_float
from orchestration.gap_method.statements import in_sentence

SHOWN = 2  # indicators named per list
IMPROVED = ("on_track", "nearly_on_track")
WORSENED = ("wrong_direction",)
MOVING = ("national", "peer")


@dataclass(frozen=True)
class Difference:
    indicator_id: str
    against: str  # "riket" or "länens median"
    relative: float  # d·(x − ref)/|ref|: > 0 better than the reference (for ordering)
    words: str  # "1,6 procentenheter högre än riket"


@dataclass(frozen=True)
class Move:
    indicator_id: str
    score: float
    movement: float  # direction-adjusted relative change (for ordering among equal scores)
    words: str  # "minskade med 1,6 procentenheter sedan 2017"


@dataclass(frozen=True)
class Explore:
    strengths: list[Difference]
    to_explore: list[Difference]
    improved: list[Move]  # best first
    worsened: list[Move]  # worst first


def _difference(
    r: Mapping[str, Any], meta: Mapping[str, Any], lan_median: Mapping[str, float]
) -> Difference | None:
    """The county against Riket (or the län median); None for a total or without either."""
    if meta.get("measure") == "total":
        return None
    iid, sign, value = (
        str(r["indicator_id"]),
        as_float(r.get("direction_sign")) or 1.0,
        as_float(r.get("value")),
    )
    national = as_float(r.get("national_value"))
    ref, against = (
        (national, "riket") if national is not None else (lan_median.get(iid), "länens median")
    )
    ref = as_float(ref)
    if value is None or ref is None or ref == 0:
        return None
    words = ch.compared(value, ref, meta)
    return Difference(iid, against, sign * (value - ref) / abs(ref), f"{words} än {against}")


def _move(r: Mapping[str, Any], meta: Mapping[str, Any]) -> Move | None:
    """The development since the baseline, as its status reads it."""
    score, base_year = as_float(r.get("score")), as_float(r.get("baseline_year_used"))
    value, base = as_float(r.get("value")), as_float(r.get("baseline_value"))
    if score is None or base_year is None or value is None or base is None:
        return None
    sign, since = as_float(r.get("direction_sign")) or 1.0, f"sedan {int(base_year)}"
    bench, bench_b = as_float(r.get("benchmark_value")), as_float(r.get("benchmark_baseline_value"))
    if r.get("target_type") in MOVING and bench is not None and bench_b is not None:
        other = "jämförbara län" if r.get("benchmark") == "peers" else "riket"
        closing = sign * ((value - bench) - (base - bench_b)) / (abs(bench) or 1.0)
        then = ch.position(base, bench_b, sign, meta)
        now = ch.position(value, bench, sign, meta)
        words = f"från {then} till {now} {other} {since}"
        return Move(str(r["indicator_id"]), score, closing, words)
    movement = sign * (value - base) / abs(base) if base else sign * (value - base)
    return Move(str(r["indicator_id"]), score, movement, f"{ch.change(base, value, meta)} {since}")


def explore(
    rows: Iterable[Mapping[str, Any]],
    lan_median: Mapping[str, float],
    metas: Mapping[str, Mapping[str, Any]] | None = None,
) -> Explore:
    """``rows``: the county's current gap row per indicator of one kraftsamling (sex T) with
    ``indicator_id`` and ``direction_sign``; ``lan_median``: per indicator the median of the län
    that year; ``metas``: per indicator its catalogue ``scale``, ``unit`` and ``measure``."""
    metas = metas or {}
    diffs: list[Difference] = []
    improved: list[Move] = []
    worsened: list[Move] = []
    for r in rows:
        meta = metas.get(str(r["indicator_id"]), {})
        if (diff := _difference(r, meta, lan_median)) is not None:
            diffs.append(diff)
        move = _move(r, meta)
        if move is not None and r.get("status") in IMPROVED:
            improved.append(move)
        elif move is not None and r.get("status") in WORSENED:
            worsened.append(move)
    diffs.sort(key=lambda d: (-d.relative, d.indicator_id))
    improved.sort(key=lambda m: (-m.score, -m.movement, m.indicator_id))
    worsened.sort(key=lambda m: (m.score, m.movement, m.indicator_id))
    return Explore(
        strengths=[d for d in diffs if d.relative > 0][:SHOWN],
        to_explore=[d for d in reversed(diffs) if d.relative < 0][:SHOWN],
        improved=improved[:SHOWN],
        worsened=worsened[:SHOWN],
    )


def explore_sentences(found: Explore, labels: Mapping[str, str]) -> list[str]:
    """The Swedish lines: "Styrkor: …", "Att utforska: …", "Mest förbättrat sedan basåret: …"."""

    def item(indicator_id: str, words: str) -> str:
        return f"{in_sentence(labels[indicator_id])} ({words})"

    out = []
    for title, found_items in (
        ("Styrkor", found.strengths),
        ("Att utforska", found.to_explore),
        ("Mest förbättrat sedan basåret", found.improved),
        ("Mest försämrat sedan basåret", found.worsened),
    ):
        if found_items:
            listed = "; ".join(item(x.indicator_id, x.words) for x in found_items)
            out.append(f"{title}: {listed}.")
    return out
