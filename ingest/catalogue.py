"""The indicator catalogue and geography seeds, read from dbt_project/seeds (one source of truth).

Every malformed row is an error naming the file, the line and the field, raised before any fetch.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CatalogueError
from ingest.pxweb.series import parse_series_id

SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

SOURCES = frozenset({"kolada", "scb"})
DIRECTIONS = frozenset({"increase", "decrease"})
TARGET_TYPES = frozenset(
    {"absolute", "relative", "national", "peer", "direction", "maintain", "gap"}
)
SCALES = frozenset({"percent", "rate", "count", "index", "amount"})
# A total (tonnes, hectares, inhabitants, mnkr) grows with the geography's size, so it is judged on
# its own change only and never compared across geographies; an intensive measure (share, rate,
# per inhabitant, index) is comparable.
MEASURES = frozenset({"total", "intensive"})
# Targets that compare the geography with others: meaningless for a total.
COMPARING_TARGET_TYPES = frozenset({"national", "peer"})
KOLADA_KPI_ID = re.compile(r"^[NU]\d{5}$")
GEO_LEVELS = frozenset({"riket", "lan", "kommun"})
SHORT_LABEL_MAX = 60  # the statements' subject: a noun phrase, not a title


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    source: str
    source_series_id: str
    title: str
    short_label: str
    unit: str
    scale: str
    measure: str
    comparison_indicator_id: str | None
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
            if source == "scb":
                try:
                    parse_series_id(sid)
                except ValueError as exc:
                    raise CatalogueError(p, line, "source_series_id", str(exc)) from exc
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
                ("measure", MEASURES),
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
            if (
                target_value is not None
                and row["target_type"] == "relative"
                and target_value <= -100
            ):
                raise CatalogueError(
                    p, line, "target_value", f"{target_value} % would take the value below zero"
                )
            short_label = (row.get("short_label") or "").strip()
            if (
                not short_label
                or len(short_label) > SHORT_LABEL_MAX
                or short_label != row.get("short_label")
            ):
                raise CatalogueError(
                    p,
                    line,
                    "short_label",
                    f"{row.get('short_label')!r}; expected a Swedish noun phrase of 1–"
                    f"{SHORT_LABEL_MAX} characters without surrounding spaces",
                )
            comparison = (row.get("comparison_indicator_id") or "").strip() or None
            if row["measure"] == "total" and row["target_type"] in COMPARING_TARGET_TYPES:
                raise CatalogueError(
                    p,
                    line,
                    "target_type",
                    f"{row['target_type']!r} compares with other geographies, which a total "
                    "cannot be; expected a target on its own change, or an intensive measure",
                )
            if comparison is not None and row["measure"] != "total":
                raise CatalogueError(
                    p,
                    line,
                    "comparison_indicator_id",
                    f"{comparison!r}; only a total names the intensive sibling it is compared by",
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
                    short_label=short_label,
                    unit=row["unit"],
                    scale=row["scale"],
                    measure=row["measure"],
                    comparison_indicator_id=comparison,
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
    _check_comparisons(out, p)
    return out


def _check_comparisons(indicators: list[Indicator], path: str) -> None:
    """A total's ``comparison_indicator_id`` names an intensive indicator of the catalogue."""
    by_id = {i.indicator_id: (line, i) for line, i in enumerate(indicators, start=2)}
    for line, i in by_id.values():
        ref = i.comparison_indicator_id
        if ref is None:
            continue
        if ref not in by_id or by_id[ref][1].measure != "intensive":
            raise CatalogueError(
                path,
                line,
                "comparison_indicator_id",
                f"{ref!r}; expected the indicator_id of an intensive indicator in the catalogue",
            )


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


def check_region(geographies: list[Geography], region: str) -> str:
    """``region`` when it is a län code; else an error naming RUS_REGION and every län code."""
    lan = sorted((g.code, g.name) for g in geographies if g.level == "lan")
    if region not in {code for code, _ in lan}:
        expected = ", ".join(f"{code} ({name})" for code, name in lan)
        raise ValueError(f"RUS_REGION {region!r} is not a län code; expected one of: {expected}")
    return region


SCOPES = ("region", "country")


def follow_up_scope(geographies: list[Geography], region: str, scope: str = "region") -> list[str]:
    """Riket, every län (for ranking) and the region's own kommuner; with ``scope="country"``
    every kommun of the country (to rank a kommun among all 290)."""
    check_region(geographies, region)
    if scope not in SCOPES:
        raise ValueError(f"geography scope {scope!r}; expected one of {SCOPES}")
    return sorted(
        g.code
        for g in geographies
        if g.level in ("riket", "lan")
        or (g.level == "kommun" and (scope == "country" or g.lan_code == region))
    )


def default_region(path: Path | None = None) -> str:
    """The län followed up when none is configured: the owner's län of the strategy whose
    structure the seeds hold (``rus_strategy.csv``, one row, ``owner_region_code``)."""
    path = Path(path or SEEDS_DIR / "rus_strategy.csv")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 1:
        raise CatalogueError(str(path), 0, "owner_region_code", f"{len(rows)} rows; expected one")
    code = (rows[0].get("owner_region_code") or "").strip()
    if not code:
        raise CatalogueError(str(path), 2, "owner_region_code", "must name the owner's län code")
    return code


LINK_TARGETS = {
    "area": ("rus_areas.csv", "area_id"),
    "focus_effort": ("rus_focus_efforts.csv", "focus_effort_id"),
    "perspective": ("rus_perspectives.csv", "perspective_id"),
    "goal": ("rus_goals.csv", "goal_id"),
}
MIN_INDICATORS_PER_AREA = 2
MIN_INDICATORS_PER_FOCUS_EFFORT = 2


@dataclass(frozen=True)
class IndicatorLink:
    indicator_id: str
    link_type: str
    link_id: str
    is_primary: bool


def _ids(seeds_dir: Path, name: str, column: str) -> set[str]:
    with (seeds_dir / name).open(newline="", encoding="utf-8") as f:
        return {r[column] for r in csv.DictReader(f)}


def read_indicator_links(
    path: Path | None = None, indicator_ids: set[str] | None = None, seeds_dir: Path | None = None
) -> list[IndicatorLink]:
    """Parse and check ``indicator_links.csv`` against the catalogue and the RUS seeds."""
    seeds_dir = Path(seeds_dir or SEEDS_DIR)
    path = Path(path or seeds_dir / "indicator_links.csv")
    p = str(path)
    if indicator_ids is None:
        indicator_ids = {i.indicator_id for i in read_indicators(seeds_dir / "indicators.csv")}
    known = {t: _ids(seeds_dir, name, col) for t, (name, col) in LINK_TARGETS.items()}
    seen: dict[tuple[str, str, str], int] = {}
    out: list[IndicatorLink] = []
    with path.open(newline="", encoding="utf-8") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            iid, link_type, link_id = row["indicator_id"], row["link_type"], row["link_id"]
            if iid not in indicator_ids:
                raise CatalogueError(p, line, "indicator_id", f"{iid!r} is not in indicators.csv")
            if link_type not in LINK_TARGETS:
                raise CatalogueError(
                    p, line, "link_type", f"{link_type!r}; expected one of {sorted(LINK_TARGETS)}"
                )
            if link_id not in known[link_type]:
                seed, column = LINK_TARGETS[link_type]
                raise CatalogueError(
                    p,
                    line,
                    "link_id",
                    f"unknown {link_type} code {link_id!r}; expected a {column} of {seed}: "
                    f"{sorted(known[link_type])}",
                )
            key = (iid, link_type, link_id)
            if key in seen:
                raise CatalogueError(p, line, "link_id", f"duplicates line {seen[key]}")
            seen[key] = line
            out.append(
                IndicatorLink(
                    iid, link_type, link_id, _bool(row["is_primary"], p, line, "is_primary")
                )
            )
    return out


def check_catalogue(seeds_dir: Path | None = None) -> list[Indicator]:
    """Everything ingest needs to trust the catalogue, checked before any fetch.

    Every row of indicators.csv and indicator_links.csv is well formed, and every RUS area and
    kraftsamling is followed by at least two indicators. Returns the indicators.
    """
    seeds_dir = Path(seeds_dir or SEEDS_DIR)
    indicators = read_indicators(seeds_dir / "indicators.csv")
    links = read_indicator_links(
        seeds_dir / "indicator_links.csv", {i.indicator_id for i in indicators}, seeds_dir
    )
    for link_type, minimum in (
        ("area", MIN_INDICATORS_PER_AREA),
        ("focus_effort", MIN_INDICATORS_PER_FOCUS_EFFORT),
    ):
        seed, column = LINK_TARGETS[link_type]
        for code in sorted(_ids(seeds_dir, seed, column)):
            n = len(
                {
                    lk.indicator_id
                    for lk in links
                    if lk.link_type == link_type and lk.link_id == code
                }
            )
            if n < minimum:
                raise CatalogueError(
                    str(seeds_dir / "indicator_links.csv"),
                    0,
                    "link_id",
                    f"{link_type} {code} is followed by {n} indicator(s); {minimum} needed",
                )
    return indicators
