"""The indicator catalogue and geography seeds, read from dbt_project/seeds (one source of truth).

Every malformed row is an error naming the file, the line and the field, raised before any fetch.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CatalogueError

SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

SOURCES = frozenset({"kolada", "scb"})
DIRECTIONS = frozenset({"increase", "decrease"})
TARGET_TYPES = frozenset(
    {"absolute", "relative", "national", "peer", "direction", "maintain", "gap"}
)
SCALES = frozenset({"percent", "rate", "count", "index", "amount"})
KOLADA_KPI_ID = re.compile(r"^[NU]\d{5}$")
GEO_LEVELS = frozenset({"riket", "lan", "kommun"})


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    source: str
    source_series_id: str
    title: str
    unit: str
    scale: str
    desired_direction: str
    target_type: str
    target_value: float | None
    target_year: int
    target_source: str
    baseline_year: int
    has_sex_split: bool
    geography_levels: frozenset[str]
    natural_min: float | None
    natural_max: float | None


def _optional_float(text: str, path: str, line: int, field: str) -> float | None:
    if text.strip() == "":
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise CatalogueError(path, line, field, f"{text!r} is not a number") from exc


def _int(text: str, path: str, line: int, field: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise CatalogueError(path, line, field, f"{text!r} is not an integer year") from exc


def _bool(text: str, path: str, line: int, field: str) -> bool:
    low = text.strip().lower()
    if low not in ("true", "false"):
        raise CatalogueError(path, line, field, f"{text!r} is not true/false")
    return low == "true"


def read_indicators(path: Path | None = None) -> list[Indicator]:
    """Parse and check ``indicators.csv``; line numbers count the header as line 1."""
    path = Path(path or SEEDS_DIR / "indicators.csv")
    p = str(path)
    seen: dict[str, int] = {}
    out: list[Indicator] = []
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            iid = (row.get("indicator_id") or "").strip()
            if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
                raise CatalogueError(p, line, "indicator_id", f"{iid!r} is not a lowercase slug")
            if iid in seen:
                raise CatalogueError(
                    p, line, "indicator_id", f"{iid!r} duplicates line {seen[iid]}"
                )
            seen[iid] = line
            source = row["source"]
            if source not in SOURCES:
                raise CatalogueError(
                    p, line, "source", f"{source!r}; expected one of {sorted(SOURCES)}"
                )
            sid = row["source_series_id"]
            if source == "kolada" and not KOLADA_KPI_ID.match(sid):
                raise CatalogueError(
                    p,
                    line,
                    "source_series_id",
                    f"{sid!r} is not a Kolada KPI id (N or U and five digits, e.g. N01982)",
                )
            for field, allowed in (
                ("desired_direction", DIRECTIONS),
                ("target_type", TARGET_TYPES),
                ("scale", SCALES),
            ):
                if row[field] not in allowed:
                    raise CatalogueError(
                        p, line, field, f"{row[field]!r}; expected one of {sorted(allowed)}"
                    )
            levels = frozenset(x for x in row["geography_levels"].split(";") if x)
            if not levels or not levels <= GEO_LEVELS:
                raise CatalogueError(
                    p,
                    line,
                    "geography_levels",
                    f"{row['geography_levels']!r}; expected ';'-separated {sorted(GEO_LEVELS)}",
                )
            natural_min = _optional_float(row["natural_min"], p, line, "natural_min")
            natural_max = _optional_float(row["natural_max"], p, line, "natural_max")
            target_value = _optional_float(row["target_value"], p, line, "target_value")
            if row["target_type"] in ("absolute", "relative", "maintain") and target_value is None:
                raise CatalogueError(
                    p, line, "target_value", f"target_type {row['target_type']!r} needs a value"
                )
            if (
                target_value is not None
                and row["target_type"] == "absolute"
                and (
                    (natural_min is not None and target_value < natural_min)
                    or (natural_max is not None and target_value > natural_max)
                )
            ):
                raise CatalogueError(
                    p,
                    line,
                    "target_value",
                    f"{target_value} is outside the unit's range [{natural_min}, {natural_max}]",
                )
            if not row["target_source"].strip():
                raise CatalogueError(
                    p, line, "target_source", "must say where the target comes from"
                )
            out.append(
                Indicator(
                    indicator_id=iid,
                    source=source,
                    source_series_id=sid,
                    title=row["title"],
                    unit=row["unit"],
                    scale=row["scale"],
                    desired_direction=row["desired_direction"],
                    target_type=row["target_type"],
                    target_value=target_value,
                    target_year=_int(row["target_year"], p, line, "target_year"),
                    target_source=row["target_source"],
                    baseline_year=_int(row["baseline_year"], p, line, "baseline_year"),
                    has_sex_split=_bool(row["has_sex_split"], p, line, "has_sex_split"),
                    geography_levels=levels,
                    natural_min=natural_min,
                    natural_max=natural_max,
                )
            )
    return out


@dataclass(frozen=True)
class Geography:
    code: str
    name: str
    level: str
    lan_code: str


def read_geographies(path: Path | None = None) -> list[Geography]:
    path = Path(path or SEEDS_DIR / "geographies.csv")
    with path.open(newline="", encoding="utf-8") as f:
        return [
            Geography(r["geography_code"], r["geography_name"], r["level"], r["lan_code"])
            for r in csv.DictReader(f)
        ]


def follow_up_scope(geographies: list[Geography], region: str) -> list[str]:
    """Riket, every län (for ranking) and the region's own kommuner."""
    lan = {g.code for g in geographies if g.level == "lan"}
    if region not in lan:
        raise ValueError(f"RUS_REGION {region!r} is not a län code; expected one of {sorted(lan)}")
    return sorted(
        g.code
        for g in geographies
        if g.level in ("riket", "lan") or (g.level == "kommun" and g.lan_code == region)
    )
