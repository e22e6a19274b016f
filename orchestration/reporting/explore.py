"""Strengths and areas to explore per kraftsamling, as County Health Rankings picks them: where
the county differs most from Riket (or, without a Riket value, the median of the län), and where
it moved most since the baseline, each in the desired direction. Pure functions over the
county's current gap rows; no Dagster imports."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from orchestration.reporting.statements import in_sentence

SHOWN = 2  # indicators named per list


@dataclass(frozen=True)
class Difference:
    indicator_id: str
    against: str  # "riket" or "länens median"
    relative: float  # d·(x − ref)/|ref|: > 0 better than the reference


@dataclass(frozen=True)
class Explore:
    strengths: list[Difference]
    to_explore: list[Difference]
    improved: list[tuple[str, float, int]]  # (indicator, d·(x_t − x_b)/|x_b|, b), best first
    worsened: list[tuple[str, float, int]]


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _relative(value: float | None, ref: float | None, sign: float) -> float | None:
    if value is None or ref is None or ref == 0:
        return None
    return sign * (value - ref) / abs(ref)


def explore(rows: Iterable[Mapping[str, Any]], lan_median: Mapping[str, float]) -> Explore:
    """``rows``: the county's current gap row per indicator of one kraftsamling (sex T) with
    ``indicator_id``; ``lan_median``: per indicator the median of the län that year."""
    diffs, moves = [], []
    for r in rows:
        iid, sign, value = (
            str(r["indicator_id"]),
            _num(r.get("direction_sign")) or 1.0,
            _num(r.get("value")),
        )
        national = _num(r.get("national_value"))
        ref, against = (
            (national, "riket") if national is not None else (lan_median.get(iid), "länens median")
        )
        rel = _relative(value, _num(ref), sign)
        if rel is not None:
            diffs.append(Difference(iid, against, rel))
        moved = _relative(value, _num(r.get("baseline_value")), sign)
        base_year = _num(r.get("baseline_year_used"))
        if moved is not None and base_year is not None:
            moves.append((iid, moved, int(base_year)))
    diffs.sort(key=lambda d: (-d.relative, d.indicator_id))
    moves.sort(key=lambda m: (-m[1], m[0]))
    return Explore(
        strengths=[d for d in diffs if d.relative > 0][:SHOWN],
        to_explore=[d for d in reversed(diffs) if d.relative < 0][:SHOWN],
        improved=[m for m in moves if m[1] > 0][:SHOWN],
        worsened=[m for m in reversed(moves) if m[1] < 0][:SHOWN],
    )


def _pct(x: float) -> str:
    return f"{abs(x) * 100:.0f} %"


def explore_sentences(found: Explore, labels: Mapping[str, str]) -> list[str]:
    """The Swedish lines: "Styrkor: …", "Att utforska: …", "Mest förbättrat sedan basåret: …"."""

    def diff(d: Difference, word: str) -> str:
        return f"{in_sentence(labels[d.indicator_id])} ({_pct(d.relative)} {word} än {d.against})"

    def move(m: tuple[str, float, int]) -> str:
        return f"{in_sentence(labels[m[0]])} ({_pct(m[1])} sedan {m[2]})"

    out = []
    if found.strengths:
        out.append("Styrkor: " + "; ".join(diff(d, "bättre") for d in found.strengths) + ".")
    if found.to_explore:
        out.append("Att utforska: " + "; ".join(diff(d, "sämre") for d in found.to_explore) + ".")
    if found.improved:
        out.append("Mest förbättrat sedan basåret: " + "; ".join(map(move, found.improved)) + ".")
    if found.worsened:
        out.append("Mest försämrat sedan basåret: " + "; ".join(map(move, found.worsened)) + ".")
    return out
