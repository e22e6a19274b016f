"""The indicator catalogue and geography seeds, read from dbt_project/seeds (one source of truth).

Every malformed row is an error naming the file, the line and the field, raised before any fetch.
A catalogue indicator is fetched from a source (``SOURCES``) or is the ratio of two fetched ones,
computed in dbt (``source = ratio``, declared in ``indicator_ratios.csv``: :mod:`ingest.ratios`).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.errors import CatalogueError
from ingest.pxweb.series import parse_series_id
from ingest.ratios import RATIO_SOURCE, RATIOS_FILE, IndicatorRatio, check_ratios
from ingest.seed_rows import SeedLine, seed_lines

SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

SOURCES = frozenset({"kolada", "scb"})  # what ingest fetches from
CATALOGUE_SOURCES = SOURCES | {RATIO_SOURCE}  # a ratio is computed in dbt from two fetched series
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
# Fields of indicators.csv an Indicator holds as written (once checked).
AS_WRITTEN = (
    *("source", "source_series_id", "title", "unit", "scale", "measure"),
    *("desired_direction", "target_type", "target_source"),
)


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
    sex_gap_target: str | None = None  # 'decrease': the women/men gap shall shrink
    ratio: IndicatorRatio | None = None  # for source = ratio: its inputs and multiplier


def read_indicators(path: Path | None = None, ratios_path: Path | None = None) -> list[Indicator]:
    """Parse and check ``indicators.csv``; line numbers count the header as line 1. Its ratio
    indicators are checked against ``ratios_path`` (default: ``indicator_ratios.csv`` beside
    it). The list holds every indicator; a caller that fetches keeps those of its source."""
    path = Path(path or SEEDS_DIR / "indicators.csv")
    seen: dict[str, int] = {}
    out = [_indicator(r, seen) for r in seed_lines(path)]
    _check_comparisons(out, str(path))
    ratios_path = Path(ratios_path or path.parent / RATIOS_FILE)
    ratios = {r.indicator_id: r for r in check_ratios(out, str(path), ratios_path, SOURCES)}
    return [replace(i, ratio=ratios.get(i.indicator_id)) for i in out]


def _indicator(r: SeedLine, seen: dict[str, int]) -> Indicator:
    """One catalogue row, every field checked (the first problem found is raised: the id, the
    source and its series id, the coded fields, the levels, the target, the short label, the
    comparison sibling, the target's source)."""
    iid = _indicator_id(r, seen)
    _check_source(r)
    _check_choices(r)
    levels = _geography_levels(r)
    natural_min, natural_max = r.number("natural_min"), r.number("natural_max")
    target_value = _target_value(r, natural_min, natural_max)
    short_label = _short_label(r)
    comparison = _comparison(r)
    if not r.row["target_source"].strip():
        raise r.error("target_source", "must say where the target comes from")
    return Indicator(
        **{field: r.row[field] for field in AS_WRITTEN},
        indicator_id=iid,
        short_label=short_label,
        comparison_indicator_id=comparison,
        target_value=target_value,
        target_year=r.year("target_year"),
        baseline_year=r.year("baseline_year"),
        has_sex_split=r.flag("has_sex_split"),
        geography_levels=levels,
        natural_min=natural_min,
        natural_max=natural_max,
        sex_gap_target=_sex_gap_target(r),
    )


def _indicator_id(r: SeedLine, seen: dict[str, int]) -> str:
    """A lowercase slug, unique in the file (``seen``: id → its line, updated)."""
    iid = (r.row.get("indicator_id") or "").strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", iid):
        raise r.error("indicator_id", f"{iid!r} is not a lowercase slug")
    if iid in seen:
        raise r.error("indicator_id", f"{iid!r} duplicates line {seen[iid]}")
    seen[iid] = r.line
    return iid


def _check_source(r: SeedLine) -> None:
    """A known source, and a series id of that source's form (an SCB series id that parses, a
    Kolada KPI id; a ratio's formula is checked against its inputs by :func:`check_ratios`)."""
    source, sid = r.row["source"], r.row["source_series_id"]
    if source not in CATALOGUE_SOURCES:
        raise r.error("source", f"{source!r}; expected one of {sorted(CATALOGUE_SOURCES)}")
    if source == "scb":
        try:
            parse_series_id(sid)
        except ValueError as exc:
            raise r.error("source_series_id", str(exc)) from exc
    if source == "kolada" and not KOLADA_KPI_ID.match(sid):
        raise r.error(
            "source_series_id",
            f"{sid!r} is not a Kolada KPI id (N or U and five digits, e.g. N01982)",
        )


def _check_choices(r: SeedLine) -> None:
    """Each coded field holds one of its allowed codes."""
    for field, allowed in (
        ("desired_direction", DIRECTIONS),
        ("target_type", TARGET_TYPES),
        ("scale", SCALES),
        ("measure", MEASURES),
    ):
        if r.row[field] not in allowed:
            raise r.error(field, f"{r.row[field]!r}; expected one of {sorted(allowed)}")


def _sex_gap_target(r: SeedLine) -> str | None:
    """A target on the women/men gap besides the level's: empty, or 'decrease' for a series
    published for women and men."""
    text = (r.row.get("sex_gap_target") or "").strip()
    if text and (text != "decrease" or not r.flag("has_sex_split")):
        raise r.error(
            "sex_gap_target",
            f"{text!r}; expected empty or 'decrease' (and has_sex_split true)",
        )
    return text or None


def _geography_levels(r: SeedLine) -> frozenset[str]:
    """The ';'-separated levels the indicator is published at: at least one, each known."""
    text = r.row["geography_levels"]
    levels = frozenset(x for x in text.split(";") if x)
    if not levels or not levels <= GEO_LEVELS:
        raise r.error("geography_levels", f"{text!r}; expected ';'-separated {sorted(GEO_LEVELS)}")
    return levels


def _target_value(
    r: SeedLine, natural_min: float | None, natural_max: float | None
) -> float | None:
    """The target value: required for absolute, relative and maintain targets; an absolute
    target inside the unit's natural range; a relative one above −100 %."""
    target_type = r.row["target_type"]
    value = r.number("target_value")
    if target_type in ("absolute", "relative", "maintain") and value is None:
        raise r.error("target_value", f"target_type {target_type!r} needs a value")
    if value is not None and target_type == "absolute":
        below = natural_min is not None and value < natural_min
        if below or (natural_max is not None and value > natural_max):
            raise r.error(
                "target_value",
                f"{value} is outside the unit's range [{natural_min}, {natural_max}]",
            )
    if value is not None and target_type == "relative" and value <= -100:
        raise r.error("target_value", f"{value} % would take the value below zero")
    return value


def _short_label(r: SeedLine) -> str:
    """The statements' subject: a noun phrase of 1–``SHORT_LABEL_MAX`` characters, without
    surrounding spaces."""
    written = r.row.get("short_label")
    short_label = (written or "").strip()
    if not 0 < len(short_label) <= SHORT_LABEL_MAX or short_label != written:
        raise r.error(
            "short_label",
            f"{written!r}; expected a Swedish noun phrase of 1–"
            f"{SHORT_LABEL_MAX} characters without surrounding spaces",
        )
    return short_label


def _comparison(r: SeedLine) -> str | None:
    """A total is never compared with other geographies: no NATIONAL or PEER target; only a
    total names the intensive sibling it is compared by (``comparison_indicator_id``)."""
    comparison = (r.row.get("comparison_indicator_id") or "").strip() or None
    measure, target_type = r.row["measure"], r.row["target_type"]
    if measure == "total" and target_type in COMPARING_TARGET_TYPES:
        raise r.error(
            "target_type",
            f"{target_type!r} compares with other geographies, which a total "
            "cannot be; expected a target on its own change, or an intensive measure",
        )
    if comparison is not None and measure != "total":
        raise r.error(
            "comparison_indicator_id",
            f"{comparison!r}; only a total names the intensive sibling it is compared by",
        )
    return comparison


def _check_comparisons(indicators: list[Indicator], path: str) -> None:
    """A total's ``comparison_indicator_id`` names an intensive indicator of the catalogue."""
    by_id = {i.indicator_id: (line, i) for line, i in enumerate(indicators, start=2)}
    for line, i in by_id.values():
        ref = i.comparison_indicator_id
        if ref is not None and (ref not in by_id or by_id[ref][1].measure != "intensive"):
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
    if indicator_ids is None:
        indicator_ids = {i.indicator_id for i in read_indicators(seeds_dir / "indicators.csv")}
    known = {t: _ids(seeds_dir, name, col) for t, (name, col) in LINK_TARGETS.items()}
    seen: dict[tuple[str, str, str], int] = {}
    return [_link(r, indicator_ids, known, seen) for r in seed_lines(path)]


def _link(
    r: SeedLine,
    indicator_ids: set[str],
    known: dict[str, set[str]],
    seen: dict[tuple[str, str, str], int],
) -> IndicatorLink:
    """One link row: a catalogue indicator, a known link type and code, not seen before."""
    iid, link_type, link_id = r.row["indicator_id"], r.row["link_type"], r.row["link_id"]
    if iid not in indicator_ids:
        raise r.error("indicator_id", f"{iid!r} is not in indicators.csv")
    if link_type not in LINK_TARGETS:
        raise r.error("link_type", f"{link_type!r}; expected one of {sorted(LINK_TARGETS)}")
    if link_id not in known[link_type]:
        seed, column = LINK_TARGETS[link_type]
        raise r.error(
            "link_id",
            f"unknown {link_type} code {link_id!r}; expected a {column} of {seed}: "
            f"{sorted(known[link_type])}",
        )
    key = (iid, link_type, link_id)
    if key in seen:
        raise r.error("link_id", f"duplicates line {seen[key]}")
    seen[key] = r.line
    return IndicatorLink(iid, link_type, link_id, r.flag("is_primary"))


def check_catalogue(seeds_dir: Path | None = None) -> list[Indicator]:
    """Everything ingest needs to trust the catalogue, checked before any fetch.

    Every row of indicators.csv, indicator_ratios.csv and indicator_links.csv is well formed, and
    every RUS area and kraftsamling is followed by at least two indicators. Returns the
    indicators (ratios among them: a fetching caller keeps those of its source).
    """
    seeds_dir = Path(seeds_dir or SEEDS_DIR)
    indicators = read_indicators(seeds_dir / "indicators.csv", seeds_dir / RATIOS_FILE)
    links = read_indicator_links(
        seeds_dir / "indicator_links.csv", {i.indicator_id for i in indicators}, seeds_dir
    )
    distinct = {(k.link_type, k.link_id, k.indicator_id) for k in links}
    followed = Counter((link_type, code) for link_type, code, _ in distinct)
    for link_type, minimum in (
        ("area", MIN_INDICATORS_PER_AREA),
        ("focus_effort", MIN_INDICATORS_PER_FOCUS_EFFORT),
    ):
        seed, column = LINK_TARGETS[link_type]
        for code in sorted(_ids(seeds_dir, seed, column)):
            n = followed[(link_type, code)]
            if n < minimum:
                raise CatalogueError(
                    str(seeds_dir / "indicator_links.csv"),
                    0,
                    "link_id",
                    f"{link_type} {code} is followed by {n} indicator(s); {minimum} needed",
                )
    return indicators
