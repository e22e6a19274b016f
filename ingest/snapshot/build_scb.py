"""Build the bundled SCB snapshot that the replay server serves in PxWeb's formats.

Real published figures come from ``sources/scb_values_real.csv`` (rows copied verbatim from the
project's real-data collection, each with its provenance). Every key of the follow-up scope that
the real data lacks is filled with a *synthetic* value generated here, deterministically, flagged
``is_synthetic=true`` with provenance ``synthetic:ingest.snapshot.build_scb v1``; no value is
invented for a geography outside the scope or a level the table does not publish.

The scope: Riket, the 21 län and the 12 kommuner of Örebro län (0018), at the levels each table
publishes; the real series' own years (from 2010 on).

The v1 tables' variable codes and texts are the replay's reconstruction (``"reconstructed": true``
in ``scb/tables.json``): only the values are real. The v2 table TAB6471 is served from SCB's
recorded answers in ``scb/recorded/``.

Run ``python -m ingest.snapshot.build_scb`` to regenerate; the output is byte-for-byte
reproducible.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.pxweb.client import KON_TO_SEX, to_scb_region
from ingest.pxweb.series import parse_series_id

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUT = HERE / "scb"
RECORDED = OUT / "recorded"
REAL_VALUES = "scb_values_real.csv"
GENERATOR = "synthetic:ingest.snapshot.build_scb v1"
FOCUS_COUNTY = "0018"
FIRST_YEAR = 2010
# JSON-stat's "updated" for the reconstructed tables: a fixed marker of this snapshot, not SCB's
# publication time (which the real-data collection does not record).
REPLAY_UPDATED = "2026-01-01T00:00:00Z"
RECORDED_PROVENANCE = (
    "stefur/pxwebpy@d45f4cb2fc629961992ac33a54b8296775b166f2:tests/responses/ (SCB PxWebApi 2.0 "
    "answers recorded by pxwebpy's tests; copied byte for byte from the project's real-data "
    "collection, formats/pxwebapi2/)"
)
# Source sex labels → T/K/M (empty: the series is not split by sex).
SEX_LABELS = {"T": "T", "K": "K", "M": "M", "": "T", "samtliga anställda": "T"}
COLUMNS = [
    "series_id",
    "table_id",
    "region_code",
    "year",
    "sex",
    "value",
    "status",
    "is_synthetic",
    "provenance",
]


@dataclass(frozen=True)
class Var:
    """A variable other than Region and Tid: ``values`` = ((code, Swedish text), ...)."""

    code: str
    text: str
    values: tuple[tuple[str, str], ...]
    elimination: bool = False


@dataclass(frozen=True)
class TableSpec:
    title: str
    infofile: str
    levels: tuple[str, ...]  # riket, lan, kommun: what the table publishes (within the scope)
    variables: tuple[Var, ...]
    time_text: str
    unit: dict[str, dict[str, Any]]
    note: str


@dataclass(frozen=True)
class SeriesSpec:
    """A catalogue series, the real-data series it is built from and how to fill its gaps.

    ``aggregate`` says how a synthetic geography is anchored on real values one level down
    (Riket on the län, a län on its kommuner): ``median``/``mean`` for shares, ``sum`` for totals
    (only when every lower geography is real). ``spread`` is the relative spread between
    geographies anchored on Riket, ``noise`` the relative noise there; ``sex_gap`` the K minus M
    difference used when no real K and M figures show one.
    """

    label: str
    sources: tuple[str, ...]
    aggregate: str
    lo: float
    hi: float
    decimals: int
    spread: float = 0.0
    noise: float = 0.0
    sex_gap: float = 0.0


KON = Var("Kon", "kön", (("1", "män"), ("2", "kvinnor"), ("1+2", "totalt")), elimination=True)
RECONSTRUCTED = (
    "Reconstructed by the replay: the values are real (see scb/README.md), but the variable "
    "codes and texts, the title and 'updated' are the replay's reconstruction, not a recorded "
    "SCB answer. Region lists only the geographies the snapshot serves; the real table "
    "publishes more."
)

TABLES: dict[str, TableSpec] = {
    "AM/AM0210/AM0210A/ArbStatusAr": TableSpec(
        "Arbetsmarknadsstatus (BAS), årsvärden, efter region, kön, ålder, födelseregion, "
        "tabellinnehåll och år",
        "AM0210",
        ("riket", "lan"),
        (
            Var("Kon", "kön", (("1+2", "totalt"),), elimination=True),
            Var("Alder", "ålder", (("20-64", "20-64 år"),)),
            Var("Fodelseregion", "födelseregion", (("tot", "totalt"),)),
            Var("ContentsCode", "tabellinnehåll", (("000006J1", "arbetslöshet"),)),
        ),
        "år",
        {"000006J1": {"base": "procent", "decimals": 1}},
        RECONSTRUCTED
        + " Codes Kon=1+2, Alder=20-64, Fodelseregion=tot and ContentsCode=000006J1 are those "
        "recorded with the real values (the query in Region Dalarna's "
        "Old/arbetsmarknadsstatus_lan.R); value texts follow the sibling table "
        "AM0210D/ArRegArbStatus. Only the total for both sexes is held.",
    ),
    "AM/AM9906/AM9906A/RegionInd19M2N": TableSpec(
        "Matchning mellan utbildning och yrke efter region, grupp, kön, tabellinnehåll och år",
        "AM9906",
        ("riket", "lan"),
        (
            Var("Grupp", "grupp", (("totalt", "totalt"),)),
            Var(
                "Kon", "kön", (("1", "män"), ("2", "kvinnor"), ("1+2", "samtliga anställda")), True
            ),
            Var("ContentsCode", "tabellinnehåll", (("000005SF", "Matchningsgrad, procent"),)),
        ),
        "år",
        {"000005SF": {"base": "procent", "decimals": 1}},
        RECONSTRUCTED
        + " The real table's age/birth-region variable is AlderFodelselandgr; 'Grupp' is the "
        "catalogue's name for it. ContentsCode 000005SF is the one Region Dalarna's "
        "Skript/matchning.R used for this table (its sister table RegionInd19M2N1 uses 000007I3 "
        "and Kon code SAMANST for 'samtliga anställda'). Riket is not in the real data: synthetic.",
    ),
    "MI/MI1301/MI1301B/UtslappLan": TableSpec(
        "Utsläpp till luft av växthusgaser efter län, tabellinnehåll och år",
        "MI1301",
        ("riket", "lan"),
        (
            Var(
                "ContentsCode",
                "tabellinnehåll",
                (
                    (
                        "0000015P",
                        "Utsläpp av växthusgaser (AmneMiljo=GHG), summa av SNI2007 A01-F43 "
                        "och G45-T98",
                    ),
                ),
            ),
        ),
        "år",
        {"0000015P": {"base": "enhet enligt källtabellen", "decimals": 0}},
        RECONSTRUCTED
        + " The real table also has SNI2007 and AmneMiljo; the real values are what Region "
        "Dalarna's Skript/energieffektivitet.R computed: ContentsCode 0000015P, AmneMiljo=GHG, "
        "summed over SNI2007 A01-F43 and G45-T98. The source does not state the unit ('enhet "
        "enligt källtabellen'). Riket is synthetic (the sum of the real län).",
    ),
    "NR/NR0105/NR0105A/NR0105ENS2010T01A": TableSpec(
        "Bruttoregionprodukt (BRP) efter region, tabellinnehåll och år",
        "NR0105",
        ("riket", "lan"),
        (Var("ContentsCode", "tabellinnehåll", (("NR0105AH", "BRP, löpande priser, mnkr"),)),),
        "år",
        {"NR0105AH": {"base": "mnkr, löpande priser", "decimals": 0}},
        RECONSTRUCTED + " ContentsCode NR0105AH is the real query's (Region Dalarna, "
        "Skript/energieffektivitet.R). Riket is synthetic (the sum of the real län; SCB's Riket "
        "also holds Extra-Regio).",
    ),
    "ME/ME0105/ME0105C/ME0105T28": TableSpec(
        "Valdeltagande i riksdagsval efter region, kön, ålder, tabellinnehåll och valår",
        "ME0105",
        ("riket", "lan", "kommun"),
        (
            KON,
            Var("Alder", "ålder", (("samtliga", "samtliga åldrar"),)),
            Var(
                "ContentsCode",
                "tabellinnehåll",
                (("valdeltagande", "Valdeltagande i riksdagsval, procent"),),
            ),
        ),
        "valår",
        {"valdeltagande": {"base": "procent", "decimals": 1}},
        RECONSTRUCTED
        + " The kommun values are whole percent as stored in the source database; Riket (T) is "
        "the published national turnout. Län, and Riket by sex, are synthetic.",
    ),
}

TABLES["AM/AM0210/AM0210D/ArRegArbStatus"] = TableSpec(
    "Arbetsmarknadsstatus (BAS), registerbaserad, efter region, ålder, födelseregion, "
    "tabellinnehåll och år",
    "AM0210",
    ("kommun",),
    (
        Var("Alder", "ålder", (("16-64", "16-64 år"),)),
        Var("Fodelseregion", "födelseregion", (("totalt", "totalt"),)),
        Var("ContentsCode", "tabellinnehåll", (("ArbLoshet", "Arbetslöshet, procent"),)),
    ),
    "år",
    {"ArbLoshet": {"base": "procent", "decimals": 1}},
    RECONSTRUCTED + " Alder=16-64 and Fodelseregion=totalt are recorded with the real values "
    "(Viktorheidmark/Grupparbete-V7 arbetsloshet.csv, 2022, all 290 kommuner); ContentsCode "
    "ArbLoshet is the replay's own code. Only the region's 12 kommuner are served.",
)

TABLES["BE/BE0101/BE0101A/BefolkningNy"] = TableSpec(
    "Folkmängden efter region, civilstånd, ålder, kön, tabellinnehåll och år",
    "BE0101",
    ("riket", "lan", "kommun"),
    (
        KON,
        Var("ContentsCode", "tabellinnehåll", (("BE0101N1", "Folkmängd"),)),
    ),
    "år",
    {"BE0101N1": {"base": "antal", "decimals": 0}},
    RECONSTRUCTED + " Population 31 December. Real: the kommun totals (SCB figures compiled in "
    "mattiasnordin/Regression municip_data.csv) and Riket by sex 2015-2017 by civilstånd "
    "(rOpenGov/pxweb's BefolkningNy example). Sums of real figures (Riket by sex over "
    "civilstånd, a län over its kommuner, Riket over all kommuner) are computed here and "
    "flagged synthetic like every generated value.",
)

POPULATION = "BE/BE0101/BE0101A/BefolkningNy|ContentsCode=BE0101N1"
POPULATION_REAL = "scb_population_real.csv"

SERIES: dict[str, SeriesSpec] = {
    "AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2": SeriesSpec(
        "Arbetslöshet (%) 20-64 år, BAS årlig",
        ("AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2|Alder=20-64|Fodelseregion=tot",),
        "median",
        0.0,
        100.0,
        1,
    ),
    "AM/AM9906/AM9906A/RegionInd19M2N|Grupp=totalt": SeriesSpec(
        "Matchning: andel förvärvsarbetande med matchad utbildning (%), totalt",
        ("AM9906A/RegionInd19M2N(1)|grupp=totalt",),
        "median",
        0.0,
        100.0,
        1,
    ),
    "MI/MI1301/MI1301B/UtslappLan|ContentsCode=0000015P": SeriesSpec(
        "Utsläpp till luft av växthusgaser, län (enhet enligt källtabellen)",
        ("MI1301B/UtslappLan|ContentsCode=0000015P (as fetched by Skript/energieffektivitet.R)",),
        "sum",
        0.0,
        1e12,
        0,
    ),
    "NR/NR0105/NR0105A/NR0105ENS2010T01A|ContentsCode=NR0105AH": SeriesSpec(
        "BRP, län (mnkr, löpande priser)",
        ("NR0105A/NR0105ENS2010T01A|ContentsCode=NR0105AH",),
        "sum",
        0.0,
        1e12,
        0,
    ),
    "AM/AM0210/AM0210D/ArRegArbStatus|ContentsCode=ArbLoshet|Alder=16-64": SeriesSpec(
        "Arbetslöshet, registerbaserad (BAS), 16-64 år, procent",
        ("AM0210D/ArRegArbStatus|Alder=16-64|Fodelseregion=totalt",),
        "mean",
        0.0,
        100.0,
        1,
    ),
    POPULATION: SeriesSpec(
        "Folkmängd 31 december (antal)",
        (),  # built by population_rows() from scb_population_real.csv
        "sum",
        0.0,
        1e9,
        0,
    ),
    "ME/ME0105/ME0105C/ME0105T28|ContentsCode=valdeltagande|Alder=samtliga": SeriesSpec(
        "Valdeltagande i riksdagsval (%), samtliga åldrar",
        ("ME0105|riksdagsval|valdeltagande|ålder=samtliga åldrar", "riksdagsval|valdeltagande"),
        "mean",
        0.0,
        100.0,
        1,
        spread=0.02,
        noise=0.005,
        sex_gap=1.0,
    ),
}

Key = tuple[str, str, int, str]  # series_id, region_code, year, sex


def _rng(*key: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def geographies() -> dict[str, list[dict[str, str]]]:
    """Scope geographies per level: Riket, the 21 län, the kommuner of the focus county."""
    geos = _read(SOURCES / "geographies.csv")
    return {
        "riket": [g for g in geos if g["level"] == "riket"],
        "lan": [g for g in geos if g["level"] == "lan"],
        "kommun": [g for g in geos if g["level"] == "kommun" and g["lan_code"] == FOCUS_COUNTY],
    }


def table_of(series_id: str) -> str:
    return parse_series_id(series_id).table


def sexes_of(series_id: str) -> list[str]:
    series = parse_series_id(series_id)
    kon = next((v for v in TABLES[series.table].variables if v.code == "Kon"), None)
    if kon is None:
        return ["T"]
    fixed = series.fixed_code("Kon")
    codes = [fixed] if fixed else [c for c, _ in kon.values]
    return sorted({KON_TO_SEX[c] for c in codes}, key="TKM".index)


def read_real() -> dict[Key, dict[str, str]]:
    """Real rows keyed by catalogue series, geography, year and sex; identical duplicates
    dropped, conflicting ones an error; years before ``FIRST_YEAR`` left out."""
    by_source = {src: sid for sid, spec in SERIES.items() for src in spec.sources}
    real: dict[Key, dict[str, str]] = {}
    for r in _read(SOURCES / REAL_VALUES):
        series_id = by_source.get(r["series_id"])
        if series_id is None:
            raise ValueError(
                f"{REAL_VALUES}: series {r['series_id']!r} maps to no catalogue series"
            )
        if r["sex"] not in SEX_LABELS:
            raise ValueError(f"{REAL_VALUES}: sex label {r['sex']!r} unknown ({r['series_id']})")
        year = int(r["year"])
        if year < FIRST_YEAR:
            continue
        key = (series_id, r["geography_code"], year, SEX_LABELS[r["sex"]])
        if key in real:
            if real[key] != r:
                raise ValueError(f"{REAL_VALUES}: two different rows for {key}")
            continue  # an identical duplicate row in the source
        real[key] = r
    return real


def _children(
    geo: str, geos: dict[str, list[dict[str, str]]], levels: tuple[str, ...]
) -> list[str]:
    if geo == "0000":
        return [g["geography_code"] for g in geos["lan"]] if "lan" in levels else []
    if "kommun" in levels:
        return [g["geography_code"] for g in geos["kommun"] if g["lan_code"] == geo]
    return []


def _aggregate(how: str, values: list[float]) -> float:
    if how == "sum":
        return math.fsum(values)
    if how == "mean":
        return statistics.fmean(values)
    return statistics.median(values)


def _sex_gap(series_id: str, year: int, spec: SeriesSpec, real: dict[Key, Any]) -> float:
    gaps = [
        float(real[(series_id, g, y, "K")]["value"]) - float(real[(series_id, g, y, "M")]["value"])
        for (s, g, y, sex) in real
        if s == series_id and y == year and sex == "K" and (series_id, g, y, "M") in real
    ]
    return statistics.fmean(gaps) if gaps else spec.sex_gap


def synthetic_value(
    series_id: str,
    geo: str,
    year: int,
    sex: str,
    real: dict[Key, dict[str, str]],
    geos: dict[str, list[dict[str, str]]],
) -> float:
    """A plausible value where no real one exists, anchored on real figures only:

    1. the same geography's real total, shifted by the sex gap (for K and M);
    2. else the real values one level down (Riket: the län; a län: its kommuner), aggregated;
    3. else the real Riket value times a per-geography offset and noise (not for totals).
    """
    spec = SERIES[series_id]
    levels = TABLES[table_of(series_id)].levels
    own_sex_then_total = [sex, "T"] if sex != "T" else ["T"]

    def real_value(g: str, s: str) -> float | None:
        hit = real.get((series_id, g, year, s))
        return float(hit["value"]) if hit is not None else None

    base: float | None = None
    sexed, scattered = True, False
    if sex != "T" and real_value(geo, "T") is not None:
        base, sexed = real_value(geo, "T"), False
    if base is None:
        children = _children(geo, geos, levels)
        for s in own_sex_then_total:
            found = [v for v in (real_value(c, s) for c in children) if v is not None]
            if found and (spec.aggregate != "sum" or len(found) == len(children)):
                base, sexed = _aggregate(spec.aggregate, found), s == sex
                break
    if base is None and geo != "0000" and spec.aggregate != "sum":
        for s in own_sex_then_total:
            if real_value("0000", s) is not None:
                base, sexed, scattered = real_value("0000", s), s == sex, True
                break
    if base is None:
        raise ValueError(f"no real figure to anchor a synthetic {series_id} {geo} {year} {sex}")
    value = base
    if scattered:
        offset = _rng(series_id, geo, "offset").gauss(0, spec.spread)
        noise = _rng(series_id, geo, year, "noise").gauss(0, spec.noise)
        value = base * (1 + offset) * (1 + noise)
    if not sexed:
        gap = _sex_gap(series_id, year, spec, real)
        value += gap / 2 if sex == "K" else -gap / 2
    value = min(max(value, spec.lo), spec.hi)
    factor = 10**spec.decimals
    return math.floor(value * factor + 0.5) / factor


def scope(series_id: str, geos: dict[str, list[dict[str, str]]]) -> list[str]:
    levels = TABLES[table_of(series_id)].levels
    return sorted(g["geography_code"] for level in levels for g in geos[level])


def population_rows(geos: dict[str, list[dict[str, str]]]) -> list[dict[str, str]]:
    """Folkmängd 31 Dec by sex for the scope, from real figures wherever they exist.

    Real (served as published): each kommun's total. Computed from real figures and flagged
    synthetic: Riket by sex 2015-2017 (sum over civilstånd), a län's total (sum of all its
    kommuner), Riket's total (sum of all 290 kommuner; K + M where that is real). Generated and
    flagged synthetic: a missing year of a total (linear between the real years around it) and
    every K/M split without a real one (Riket's real share of women).
    """
    kommun_total: dict[tuple[str, int], float] = {}
    lan_of: dict[str, str] = {}
    riket_sex: dict[tuple[int, str], float] = defaultdict(float)
    provenance: dict[str, str] = {}
    for r in _read(SOURCES / POPULATION_REAL):
        if r["series_id"] == "municip_data:pop":
            kommun_total[(r["geography_code"], int(r["year"]))] = float(r["value"])
            provenance["kommun"] = r["provenance"]
        else:
            riket_sex[(int(r["year"]), r["sex"])] += float(r["value"])
            provenance["riket"] = r["provenance"]
    for g in _read(SOURCES / "geographies.csv"):
        if g["level"] == "kommun":
            lan_of[g["geography_code"]] = g["lan_code"]
    real_years = sorted({y for _, y in kommun_total} | {y for y, _ in riket_sex})
    years = [y for y in real_years if y >= FIRST_YEAR]
    women_share = statistics.fmean(
        riket_sex[(y, "K")] / (riket_sex[(y, "K")] + riket_sex[(y, "M")])
        for y in sorted({y for y, _ in riket_sex})
    )
    derived = f"{GENERATOR}; derived from real figures: "
    totals: dict[tuple[str, int], tuple[float, bool, str]] = {}
    for y in years:
        in_year = {k: v for (k, yy), v in kommun_total.items() if yy == y}
        if in_year and len(in_year) == len(lan_of):
            totals[("0000", y)] = (sum(in_year.values()), True, derived + "sum of all 290 kommuner")
            for lan in {g["geography_code"] for g in geos["lan"]}:
                members = [v for k, v in in_year.items() if lan_of[k] == lan]
                totals[(lan, y)] = (sum(members), True, derived + f"sum of the kommuner of {lan}")
        for g in geos["kommun"]:
            if (g["geography_code"], y) in kommun_total:
                totals[(g["geography_code"], y)] = (
                    kommun_total[(g["geography_code"], y)],
                    False,
                    provenance["kommun"],
                )
        if (y, "K") in riket_sex:
            totals[("0000", y)] = (
                riket_sex[(y, "K")] + riket_sex[(y, "M")],
                True,
                derived + "K + M, each the sum over civilstånd of " + provenance["riket"],
            )
    out: list[dict[str, str]] = []
    scope_geos = [g["geography_code"] for level in ("riket", "lan", "kommun") for g in geos[level]]
    for geo in sorted(scope_geos):
        known = sorted(y for (g, y) in totals if g == geo)
        for y in years:
            if (geo, y) in totals:
                total, synthetic, prov = totals[(geo, y)]
            else:
                before = max((k for k in known if k < y), default=None)
                after = min((k for k in known if k > y), default=None)
                if before is None or after is None:
                    raise ValueError(f"population: no real years around {geo} {y} to anchor on")
                a, b = totals[(geo, before)][0], totals[(geo, after)][0]
                total = a + (b - a) * (y - before) / (after - before)
                synthetic, prov = True, GENERATOR
            for sex in ("T", "K", "M"):
                if sex == "T":
                    value, syn, pr = total, synthetic, prov
                elif geo == "0000" and (y, sex) in riket_sex:
                    value, syn = riket_sex[(y, sex)], True
                    pr = derived + "sum over civilstånd of " + provenance["riket"]
                else:
                    share = women_share if sex == "K" else 1 - women_share
                    value, syn, pr = total * share, True, GENERATOR
                out.append(
                    {
                        "series_id": POPULATION,
                        "table_id": table_of(POPULATION),
                        "region_code": geo,
                        "year": str(y),
                        "sex": sex,
                        "value": repr(float(math.floor(value + 0.5))),
                        "status": "",
                        "is_synthetic": "true" if syn else "false",
                        "provenance": pr,
                    }
                )
    return out


def build() -> tuple[list[dict[str, str]], dict[str, dict[str, int]]]:
    geos = geographies()
    real = read_real()
    rows: list[dict[str, str]] = []
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"real": 0, "synthetic": 0})
    for series_id in SERIES:
        if series_id == POPULATION:
            pop_rows = population_rows(geos)
            rows.extend(pop_rows)
            for r in pop_rows:
                counts[series_id]["synthetic" if r["is_synthetic"] == "true" else "real"] += 1
            continue
        table = table_of(series_id)
        wanted = scope(series_id, geos)
        outside = sorted({k[1] for k in real if k[0] == series_id} - set(wanted))
        if outside:
            raise ValueError(
                f"{series_id}: real values for geographies outside the scope {outside}"
            )
        years = sorted({k[2] for k in real if k[0] == series_id})
        for geo in wanted:
            for year in years:
                for sex in sexes_of(series_id):
                    hit = real.get((series_id, geo, year, sex))
                    if hit is not None:
                        value, synthetic, prov = float(hit["value"]), False, hit["provenance"]
                    else:
                        value = synthetic_value(series_id, geo, year, sex, real, geos)
                        synthetic, prov = True, GENERATOR
                    counts[series_id]["synthetic" if synthetic else "real"] += 1
                    rows.append(
                        {
                            "series_id": series_id,
                            "table_id": table,
                            "region_code": geo,
                            "year": str(year),
                            "sex": sex,
                            "value": repr(value),
                            "status": "",
                            "is_synthetic": "true" if synthetic else "false",
                            "provenance": prov,
                        }
                    )
        leftover = {k for k in real if k[0] == series_id} - {
            (r["series_id"], r["region_code"], int(r["year"]), r["sex"])
            for r in rows
            if r["series_id"] == series_id
        }
        if leftover:
            raise ValueError(f"{series_id}: real values not served: {sorted(leftover)[:5]}")
    rows.sort(
        key=lambda r: (r["series_id"], r["region_code"], int(r["year"]), "TKM".index(r["sex"]))
    )
    return rows, dict(counts)


def _variable(code: str, text: str, values: list[tuple[str, str]], **flags: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": code,
        "text": text,
        "values": [c for c, _ in values],
        "valueTexts": [t for _, t in values],
    }
    out.update({k: v for k, v in flags.items() if v})
    return out


def tables_doc(rows: list[dict[str, str]]) -> dict[str, Any]:
    geos = geographies()
    names = {g["geography_code"]: g["geography_name"] for level in geos.values() for g in level}
    doc: dict[str, Any] = {}
    for table, spec in TABLES.items():
        series = [s for s in SERIES if table_of(s) == table]
        served = [r for r in rows if r["table_id"] == table]
        regions = sorted({to_scb_region(r["region_code"]) for r in served})
        years = sorted({r["year"] for r in served})
        variables = [
            _variable(
                "Region", "region", [(c, names[c.zfill(4) if len(c) == 2 else c]) for c in regions]
            ),
            *(
                _variable(
                    v.code,
                    v.text,
                    list(v.values),
                    elimination=v.elimination,
                    eliminationValueCode="1+2" if v.code == "Kon" else None,
                )
                for v in spec.variables
            ),
            _variable("Tid", spec.time_text, [(y, y) for y in years], time=True),
        ]
        doc[table] = {
            "api": "v1",
            "reconstructed": True,
            "note": spec.note,
            "title": spec.title,
            "source": "SCB",
            "updated": REPLAY_UPDATED,
            "infofile": spec.infofile,
            "series": series,
            "real_values_from": [src for s in series for src in SERIES[s].sources],
            "unit": spec.unit,
            "variables": variables,
        }
    meta = json.loads((RECORDED / "scb_TAB6471_metadata.json").read_text(encoding="utf-8"))
    data = json.loads((RECORDED / "scb_TAB6471_data.json").read_text(encoding="utf-8"))
    contents = meta["dimension"]["ContentsCode"]["category"]
    doc["TAB6471"] = {
        "api": "v2",
        "reconstructed": False,
        "recorded": True,
        "note": (
            "Served from SCB's recorded answers: metadata from recorded/scb_TAB6471_metadata.json "
            "(all codes SCB lists), data by slicing recorded/scb_TAB6471_data.json, which holds "
            "only the recorded selection below; other codes are answered HTTP 400. Monthly "
            "time codes: the annual client fetches no rows from this table."
        ),
        "provenance": RECORDED_PROVENANCE,
        "title": meta["label"],
        "source": meta["source"],
        "updated": meta["updated"],
        "files": {
            "metadata": "recorded/scb_TAB6471_metadata.json",
            "data": "recorded/scb_TAB6471_data.json",
        },
        "unit": contents.get("unit", {}),
        "recorded_selection": {
            dim: sorted(
                data["dimension"][dim]["category"]["index"],
                key=data["dimension"][dim]["category"]["index"].get,
            )
            for dim in data["id"]
        },
        "variables": [
            _variable(
                dim,
                meta["dimension"][dim]["label"],
                [
                    (c, meta["dimension"][dim]["category"]["label"][c])
                    for c in sorted(
                        meta["dimension"][dim]["category"]["index"],
                        key=meta["dimension"][dim]["category"]["index"].get,
                    )
                ],
                elimination=meta["dimension"][dim].get("extension", {}).get("elimination", False),
                time=dim in meta["role"]["time"],
            )
            for dim in meta["id"]
        ],
    }
    return doc


README_START = "<!-- counts:start (generated by build_scb.py) -->"
README_END = "<!-- counts:end -->"


def _cell(text: str) -> str:
    """Series ids contain '|', which would split a Markdown table cell."""
    return text.replace("|", "\\|")


def counts_markdown(counts: dict[str, dict[str, int]]) -> str:
    lines = [
        "| series id | series | real values | synthetic values | real values from |",
        "|---|---|---:|---:|---|",
    ]
    for series_id, spec in SERIES.items():
        c = counts.get(series_id, {"real": 0, "synthetic": 0})
        sources = "; ".join(f"`{_cell(s)}`" for s in spec.sources)
        lines.append(
            f"| `{_cell(series_id)}` | {spec.label} | {c['real']} | {c['synthetic']} | {sources} |"
        )
    return "\n".join(lines)


def render() -> dict[str, str]:
    """Every generated file's text, keyed by its path relative to ``ingest/snapshot/scb``."""
    rows, counts = build()
    values = io.StringIO()
    w = csv.DictWriter(values, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    count_rows = io.StringIO()
    cw = csv.writer(count_rows, lineterminator="\n")
    cw.writerow(["series_id", "table_id", "label", "real_values", "synthetic_values"])
    for series_id, spec in SERIES.items():
        c = counts.get(series_id, {"real": 0, "synthetic": 0})
        cw.writerow([series_id, table_of(series_id), spec.label, c["real"], c["synthetic"]])
    tables = json.dumps(tables_doc(rows), ensure_ascii=False, indent=2) + "\n"
    return {
        "values.csv": values.getvalue(),
        "counts.csv": count_rows.getvalue(),
        "tables.json": tables,
    }


def readme_text(counts: dict[str, dict[str, int]]) -> str:
    text = (OUT / "README.md").read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    return f"{text[:start]}\n{counts_markdown(counts)}\n{text[end:]}"


def main() -> None:
    files = render()
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8")
    rows, counts = build()
    (OUT / "README.md").write_text(readme_text(counts), encoding="utf-8")
    real = sum(c["real"] for c in counts.values())
    synthetic = sum(c["synthetic"] for c in counts.values())
    print(f"SCB snapshot: {len(rows)} values ({real} real, {synthetic} synthetic) -> {OUT}")


if __name__ == "__main__":
    main()
