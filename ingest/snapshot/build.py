"""Build the bundled snapshot that the replay server serves.

Real published figures come from ``sources/`` (copied verbatim from the project's real-data
collection, each row with its provenance). Every key the skeleton needs but the real data lacks
is filled with a *synthetic* value generated here, deterministically, and flagged
``is_synthetic=true`` with provenance ``synthetic:<generator>``. A synthetic value is never
presented as real: the flag travels with the value into the raw landing and the marts.

Run ``python -m ingest.snapshot.build`` (or ``make snapshot``) to regenerate; the output is
byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUT = HERE / "kolada"
GENERATOR = "synthetic:ingest.snapshot.build v1"
FOCUS_COUNTY = "0018"


@dataclass(frozen=True)
class SyntheticSpec:
    """How to generate a plausible series where no real figure was found.

    ``level`` is the Riket level in ``first_year``; ``trend`` the relative change per year;
    ``spread`` the relative spread between geographies; ``sex_gap`` the K minus M difference in
    the KPI's own unit (positive: women higher). ``years`` overrides the yearly range (election
    years, biennial surveys). ``total`` marks a sum over the population (e.g. tonnes): a län gets
    about 1/21 and a kommun about 1/290 of Riket, before its own offset.
    """

    first_year: int
    last_year: int
    level: float
    trend: float
    spread: float
    sex_gap: float
    lo: float
    hi: float
    decimals: int
    years: tuple[int, ...] | None = None
    total: bool = False

    def year_range(self) -> list[int]:
        return list(self.years) if self.years else list(range(self.first_year, self.last_year + 1))


ELECTIONS = (2010, 2014, 2018, 2022)
BIENNIAL = (2016, 2018, 2020, 2022, 2024)
EMISSION_YEARS = (2005, 2010, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022)
PCT = (0.0, 100.0)
NONNEG = (0.0, 1e12)

# One spec per Kolada KPI in the catalogue. Year ranges follow the real series where one exists
# (same KPI), otherwise 2010 up to the KPI's latest publication period in Kolada's metadata.
SPECS: dict[str, SyntheticSpec] = {
    "N00999": SyntheticSpec(2010, 2024, 10.5, 0.0, 0.25, 0.0, *NONNEG, 1),
    "N00926": SyntheticSpec(2010, 2024, 1.1, -0.01, 0.3, 0.0, *NONNEG, 2),
    "N01004": SyntheticSpec(2010, 2024, 12.0, 0.0, 0.25, 0.0, *NONNEG, 1),
    "N03702": SyntheticSpec(2012, 2023, 420.0, 0.03, 0.25, 0.0, *NONNEG, 1),
    "N03700": SyntheticSpec(2010, 2023, 380.0, 0.035, 0.15, 0.0, *NONNEG, 0),
    "N03701": SyntheticSpec(2010, 2023, 780.0, 0.03, 0.1, 0.0, *NONNEG, 0),
    "N03703": SyntheticSpec(2012, 2023, 800.0, 0.03, 0.15, 0.0, *NONNEG, 1),
    "N85085": SyntheticSpec(2011, 2021, 9000.0, 0.03, 0.0, 0.0, *NONNEG, 0),
    "N85086": SyntheticSpec(2011, 2021, 700.0, 0.02, 0.0, 0.0, *NONNEG, 0),
    "N85087": SyntheticSpec(2011, 2021, 1700.0, 0.02, 0.0, 0.0, *NONNEG, 0),
    "N15428": SyntheticSpec(2010, 2024, 85.0, -0.002, 0.05, 1.5, *PCT, 1),
    "N17461": SyntheticSpec(2015, 2024, 74.0, 0.002, 0.05, 3.0, *PCT, 1),
    "N01982": SyntheticSpec(2010, 2024, 40.0, 0.012, 0.2, 11.0, *PCT, 1),
    "N01968": SyntheticSpec(2010, 2024, 45.0, 0.012, 0.2, 12.0, *PCT, 1),
    "N02267": SyntheticSpec(2010, 2024, 79.5, 0.003, 0.03, -4.0, *PCT, 1),
    "N02268": SyntheticSpec(2010, 2024, 62.0, 0.006, 0.08, -8.0, *PCT, 1),
    "N03937": SyntheticSpec(2010, 2024, 4.2, -0.01, 0.3, -0.4, *PCT, 1),
    "N02282": SyntheticSpec(2010, 2024, 15.0, -0.01, 0.25, 1.0, *PCT, 1),
    "N02904": SyntheticSpec(2010, 2021, 12.0, -0.02, 0.35, 0.0, *PCT, 1),
    "N66077": SyntheticSpec(2011, 2024, 17.0, 0.01, 0.35, 0.0, *PCT, 1),
    "N05401": SyntheticSpec(0, 0, 80.0, 0.005, 0.04, 1.5, *PCT, 1, years=ELECTIONS),
    "N05403": SyntheticSpec(0, 0, 84.6, 0.005, 0.03, 1.5, *PCT, 1, years=ELECTIONS),
    "U01413": SyntheticSpec(0, 0, 28.0, 0.0, 0.12, -2.0, *PCT, 0, years=BIENNIAL),
    "N00610": SyntheticSpec(2018, 2025, 70.0, -0.005, 0.08, -15.0, *PCT, 0),
    "U70447": SyntheticSpec(2010, 2025, 62.0, 0.005, 0.08, -2.0, *PCT, 0),
    "U71458": SyntheticSpec(2010, 2025, 62.0, 0.005, 0.08, 3.0, *PCT, 0),
    "N00957": SyntheticSpec(2010, 2025, 29.0, -0.02, 0.2, 9.0, 0.0, 366.0, 1),
    "N00923": SyntheticSpec(2010, 2024, 79.5, 0.002, 0.01, 0.0, 0.0, 120.0, 1),
    "N00925": SyntheticSpec(2010, 2024, 83.5, 0.0015, 0.01, 0.0, 0.0, 120.0, 1),
    "U01473": SyntheticSpec(0, 0, 74.0, -0.005, 0.05, -6.0, *PCT, 0, years=BIENNIAL),
    "U01760": SyntheticSpec(0, 0, 51.0, 0.005, 0.08, -12.0, *PCT, 0, years=BIENNIAL),
    "N07702": SyntheticSpec(
        0, 0, 6.5e7, -0.02, 0.5, 0.0, *NONNEG, 0, years=EMISSION_YEARS, total=True
    ),
    "N00401": SyntheticSpec(0, 0, 7.2, -0.025, 0.4, 0.0, *NONNEG, 2, years=EMISSION_YEARS),
    "N45905": SyntheticSpec(2010, 2023, 36.0, -0.01, 0.35, 0.0, *NONNEG, 1),
    "N00403": SyntheticSpec(2010, 2024, 15.0, 0.03, 0.5, 0.0, *PCT, 1),
    "N00750": SyntheticSpec(2010, 2024, 450000.0, -0.005, 0.6, 0.0, *NONNEG, 0, total=True),
    "N45925": SyntheticSpec(2010, 2023, 60.0, 0.01, 0.4, 0.0, *PCT, 1),
    "N07945": SyntheticSpec(2015, 2024, 0.1, 0.6, 0.3, 0.0, *PCT, 2),
    "N07916": SyntheticSpec(2010, 2024, 2.5, 0.04, 0.5, 0.0, *NONNEG, 2),
    "N07917": SyntheticSpec(2010, 2024, 2.3, 0.04, 0.5, 0.0, *NONNEG, 2),
    "N07900": SyntheticSpec(2010, 2024, 45.0, 0.05, 0.25, 0.0, *PCT, 1),
    "N07918": SyntheticSpec(2016, 2024, 60.0, 0.05, 0.2, 0.0, *PCT, 1),
    "N60404": SyntheticSpec(2010, 2024, 135.0, 0.01, 0.5, 0.0, *NONNEG, 0),
    "N07418": SyntheticSpec(2015, 2024, 80.0, 0.002, 0.1, 1.0, *PCT, 1),
    "N45850": SyntheticSpec(2010, 2024, 6.0, 0.02, 0.5, 0.0, *NONNEG, 2),
    "N09007": SyntheticSpec(2010, 2024, 1200.0, 0.03, 0.3, 0.0, *NONNEG, 0),
    "N00593": SyntheticSpec(2018, 2025, 55.0, 0.0, 0.2, 2.0, *PCT, 0),
}

# N02904 is retired and absent from the KPI metadata snapshots; its title is the series label
# recorded with its real values. Fields marked "assumed" are not from a source (README says so).
EXTRA_KPIS = {
    "N02904": {
        "id": "N02904",
        "title": "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
        "description": "Retired KPI (successor N66077). Metadata other than the title is assumed.",
        "operating_area": "Ekonomiskt bistånd",
        "is_divided_by_gender": "False",
        "municipality_type": "A",
        "publ_period": "2021",
    }
}


# rKolada snapshots the real values were read from, newest first (a newer one holds Kolada's
# revised figure when two disagree): 2026-03-23, 2026-03-04, 2024-04-06.
VINTAGES_NEWEST_FIRST = (
    "LCHansson/rKolada@d52938874f9a9e0b6f4dd44f36fa5edb8cd69fa3",
    "LCHansson/rKolada@8d7770eee21485ce06cdedd92f918ac2db50bdcb",
    "LCHansson/rKolada@4e0d0c9be0938f208fcafa029ca60f3b6505ce96",
)


def vintage_rank(provenance: str) -> int:
    """0 for the newest known vintage; sources that are not rKolada snapshots rank first too."""
    for rank, prefix in enumerate(VINTAGES_NEWEST_FIRST):
        if provenance.startswith(prefix):
            return rank
    return 0


def _rng(*key: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _read(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


CATALOGUE = HERE.parents[1] / "dbt_project" / "seeds" / "indicators.csv"


def catalogue_kpis() -> list[str]:
    """The Kolada KPIs the indicator catalogue asks for: the snapshot serves exactly these."""
    with CATALOGUE.open(newline="", encoding="utf-8") as f:
        kpis = sorted({r["source_series_id"] for r in csv.DictReader(f) if r["source"] == "kolada"})
    missing = [k for k in kpis if k not in SPECS]
    if missing:
        raise SystemExit(
            f"ingest/snapshot/build.py: no SyntheticSpec for catalogue KPI(s) {missing}"
        )
    return kpis


def load_kpis() -> dict[str, dict[str, str]]:
    kpis = {r["id"]: r for r in _read("kolada_kpis.csv")}
    for kpi_id, meta in EXTRA_KPIS.items():
        kpis.setdefault(kpi_id, meta)
    return {k: kpis[k] for k in catalogue_kpis()}


def scope_geographies(kpi: dict[str, str], geos: list[dict[str, str]]) -> list[str]:
    """Geographies Kolada publishes this KPI for, restricted to the snapshot's scope."""
    kommuner = [
        g["geography_code"]
        for g in geos
        if g["level"] == "kommun" and g["lan_code"] == FOCUS_COUNTY
    ]
    lan = [g["geography_code"] for g in geos if g["level"] == "lan"]
    mtype = kpi["municipality_type"]
    codes = ["0000"]
    if mtype in ("L", "A"):
        codes.extend(lan)
    if mtype in ("K", "A"):
        codes.extend(kommuner)
    return codes


def _is_true(text: str) -> bool:
    return text.strip().lower() in ("true", "1")


def build() -> tuple[list[dict[str, object]], dict[str, dict[str, int]]]:
    geos = _read("geographies.csv")
    kpis = load_kpis()
    real: dict[tuple[str, str, int, str], dict[str, str]] = {}
    for r in _read("kolada_values_real.csv"):
        key = (r["series_id"], r["geography_code"], int(r["year"]), r["sex"] or "T")
        # Two rKolada snapshots may disagree (a Kolada revision): serve the newest vintage.
        if key not in real or vintage_rank(r["provenance"]) < vintage_rank(real[key]["provenance"]):
            real[key] = r

    rows: list[dict[str, object]] = []
    counts: dict[str, dict[str, int]] = defaultdict(
        lambda: {"real": 0, "missing": 0, "synthetic": 0}
    )
    for kpi_id, kpi in kpis.items():
        spec = SPECS[kpi_id]
        sexes = ["T", "K", "M"] if _is_true(kpi["is_divided_by_gender"]) else ["T"]
        # Where real figures exist, the KPI's own publication years are those years (FoU
        # statistics are biennial, for example); otherwise every year in the spec's range.
        real_years = sorted({k[2] for k in real if k[0] == kpi_id})
        years = [y for y in real_years if y >= spec.first_year] or spec.year_range()
        wanted = set(scope_geographies(kpi, geos))
        # Every real value of this KPI is served, also for län outside the scope (ranking).
        wanted |= {k[1] for k in real if k[0] == kpi_id}
        for geo in sorted(wanted):
            geo_offset = 0.0 if geo == "0000" else _rng(kpi_id, geo, "offset").gauss(0, spec.spread)
            for year in years:
                for sex in sexes:
                    hit = real.get((kpi_id, geo, year, sex))
                    if hit is not None:
                        # A real figure the source left empty is served as Kolada does: null.
                        rows.append(
                            _row(
                                kpi_id,
                                geo,
                                year,
                                sex,
                                float(hit["value"]),
                                False,
                                hit["provenance"],
                            )
                        )
                        counts[kpi_id]["missing" if hit["value"] == "nan" else "real"] += 1
                        continue
                    if geo not in scope_geographies(kpi, geos):
                        continue  # never invent figures for län outside the snapshot's scope
                    value = _synthetic_value(kpi_id, geo, year, sex, spec, geo_offset, real)
                    rows.append(_row(kpi_id, geo, year, sex, value, True, GENERATOR))
                    counts[kpi_id]["synthetic"] += 1
    rows.sort(key=lambda r: (r["kpi"], r["municipality"], r["period"], r["gender"]))
    return rows, counts


def _synthetic_value(
    kpi_id: str,
    geo: str,
    year: int,
    sex: str,
    spec: SyntheticSpec,
    geo_offset: float,
    real: dict[tuple[str, str, int, str], dict[str, str]],
) -> float:
    # Anchor on the real county value for the same KPI and year when there is one, else on the
    # real län median (a synthetic Riket), else on the spec's own trend line.
    county = real.get((kpi_id, FOCUS_COUNTY, year, "T"))
    lan_values = sorted(
        float(v["value"])
        for k, v in real.items()
        if k[0] == kpi_id and k[2] == year and k[3] == "T"
    )
    if geo != FOCUS_COUNTY and county is not None and geo != "0000":
        base = float(county["value"])
    elif lan_values:
        base = lan_values[len(lan_values) // 2]
    else:
        base = spec.level * (1 + spec.trend) ** (year - spec.year_range()[0])
    if spec.total and geo != "0000":
        base /= 290 if len(geo) == 4 and not geo.startswith("00") else 21
    noise = _rng(kpi_id, geo, year, "noise").gauss(0, 0.015)
    value = base * (1 + geo_offset) * (1 + noise)
    if sex == "K":
        value += spec.sex_gap / 2
    elif sex == "M":
        value -= spec.sex_gap / 2
    value = min(max(value, spec.lo), spec.hi)
    factor = 10**spec.decimals
    return math.floor(value * factor + 0.5) / factor


def _row(
    kpi: str, geo: str, year: int, sex: str, value: float, synthetic: bool, prov: str
) -> dict[str, object]:
    return {
        "kpi": kpi,
        "municipality": geo,
        "period": year,
        "gender": sex,
        "value": "" if math.isnan(value) else repr(value),
        "count": 1,
        "status": "",
        "is_synthetic": "true" if synthetic else "false",
        "provenance": prov,
    }


def write(rows: list[dict[str, object]], counts: dict[str, dict[str, int]]) -> None:
    OUT.mkdir(exist_ok=True)
    with (OUT / "values.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    kpis = load_kpis()
    fields = [
        "id",
        "title",
        "description",
        "operating_area",
        "is_divided_by_gender",
        "municipality_type",
        "publ_period",
    ]
    with (OUT / "kpi.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(kpis.values())
    geos = _read("geographies.csv")
    with (OUT / "municipality.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "title", "type"])
        for g in geos:
            w.writerow(
                [g["geography_code"], g["geography_name"], "K" if g["level"] == "kommun" else "L"]
            )
    with (OUT / "counts.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kpi", "title", "real_values", "real_missing", "synthetic_values"])
        for kpi_id in sorted(counts):
            c = counts[kpi_id]
            w.writerow([kpi_id, kpis[kpi_id]["title"], c["real"], c["missing"], c["synthetic"]])


README_START = "<!-- counts:start (generated by build.py) -->"
README_END = "<!-- counts:end -->"


def counts_markdown(counts: dict[str, dict[str, int]]) -> str:
    kpis = load_kpis()
    lines = [
        "| KPI | title | real values | real, no value published | synthetic values |",
        "|---|---|---:|---:|---:|",
    ]
    for kpi_id in sorted(counts):
        c = counts[kpi_id]
        title = kpis[kpi_id]["title"]
        lines.append(f"| {kpi_id} | {title} | {c['real']} | {c['missing']} | {c['synthetic']} |")
    return "\n".join(lines)


def write_readme(counts: dict[str, dict[str, int]]) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    readme.write_text(f"{text[:start]}\n{counts_markdown(counts)}\n{text[end:]}", encoding="utf-8")


def main() -> None:
    rows, counts = build()
    write(rows, counts)
    write_readme(counts)
    total = {k: sum(c[k] for c in counts.values()) for k in ("real", "missing", "synthetic")}
    print(
        f"snapshot: {len(rows)} values ({total['real']} real, {total['missing']} published as "
        f"missing, {total['synthetic']} synthetic) -> {OUT}"
    )


if __name__ == "__main__":
    main()
