"""The benchmark's figures as one table on stdout and as data/bench/results.json."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Figure:
    """One measured figure, with its target when it has one (``met`` None: no target)."""

    section: str
    name: str
    value: float | int | str
    unit: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


def at_most(section: str, name: str, value: float, limit: float, unit: str, note: str = ""):
    met = not math.isnan(value) and value <= limit
    return Figure(section, name, round(value, 2), unit, f"≤ {limit:g} {unit}".strip(), met, note)


def at_least(section: str, name: str, value: float, limit: float, unit: str, note: str = ""):
    met = not math.isnan(value) and value >= limit
    return Figure(section, name, round(value, 2), unit, f"≥ {limit:g} {unit}".strip(), met, note)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(figures: list[Figure]) -> str:
    """A plain-text table: section, figure, value, target, verdict."""
    rows = [("section", "figure", "value", "target", "")]
    for f in figures:
        verdict = "" if f.met is None else ("met" if f.met else "MISSED")
        rows.append((f.section, f.name, f"{_cell(f.value)} {f.unit}".strip(), f.target, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  [{f.section}] {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines + (["", "Notes:", *notes] if notes else []))


def write_json(path: Path, meta: dict, figures: list[Figure], details: dict) -> None:
    """The same figures, the run's settings and every section's detail, as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "meta": meta,
        "figures": [asdict(f) for f in figures],
        "targets_missed": [f"{f.section}: {f.name}" for f in figures if f.met is False],
        "details": details,
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(path)
