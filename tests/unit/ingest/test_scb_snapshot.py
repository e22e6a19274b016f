"""The bundled SCB snapshot: every value real with a source or flagged synthetic, in scope only."""

from __future__ import annotations

import csv
import json
from collections import Counter

from ingest import snapshot
from ingest.snapshot import build_scb
from tests.unit.test_import_boundaries import run_without_dagster

FOCUS_KOMMUNER = {
    "1814",
    "1860",
    "1861",
    "1862",
    "1863",
    "1864",
    "1880",
    "1881",
    "1882",
    "1883",
    "1884",
    "1885",
}
LAN = {g["geography_code"] for g in build_scb.geographies()["lan"]}


def served() -> list[dict[str, str]]:
    return snapshot.read_scb_csv("values.csv")


def test_every_scb_value_is_either_real_with_a_source_or_flagged_synthetic():
    rows = served()
    assert rows
    for row in rows:
        if row["is_synthetic"] == "true":
            assert row["provenance"].startswith(build_scb.GENERATOR), row
        else:
            assert row["is_synthetic"] == "false", row
            assert "@" in row["provenance"] and ":" in row["provenance"], row


def test_real_scb_values_are_served_unchanged_from_the_verbatim_sources():
    by_source = {src: sid for sid, spec in build_scb.SERIES.items() for src in spec.sources}
    source: dict[tuple[str, str, int, str], set[str]] = {}
    with (build_scb.SOURCES / build_scb.REAL_VALUES).open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (
                by_source[r["series_id"]],
                r["geography_code"],
                int(r["year"]),
                build_scb.SEX_LABELS[r["sex"]],
            )
            source.setdefault(key, set()).add(r["value"])
    # Population is built by its own rules (test_population_by_sex_... below).
    real = [
        r
        for r in served()
        if r["is_synthetic"] == "false" and r["series_id"] != build_scb.POPULATION
    ]
    for row in real:
        (value,) = source[(row["series_id"], row["region_code"], int(row["year"]), row["sex"])]
        assert float(row["value"]) == float(value), row
    # Every real row from 2010 on is served; the duplicated MI1301/NR0105 rows only once.
    assert len(real) == len({k for k in source if k[2] >= 2010})
    riket_turnout = [
        r["value"] for r in real if r["series_id"].startswith("ME/") and r["region_code"] == "0000"
    ]
    assert riket_turnout == ["87.2", "84.2"]


def test_the_scb_snapshot_covers_the_scope_exactly_at_the_levels_each_table_publishes():
    rows = served()
    keys = Counter((r["series_id"], r["region_code"], r["year"], r["sex"]) for r in rows)
    assert max(keys.values()) == 1
    for series_id in build_scb.SERIES:
        mine = [r for r in rows if r["series_id"] == series_id]
        geos = {r["region_code"] for r in mine}
        years = {r["year"] for r in mine}
        sexes = {r["sex"] for r in mine}
        assert len(mine) == len(geos) * len(years) * len(sexes), series_id
        assert min(int(y) for y in years) >= 2010
        levels = build_scb.TABLES[build_scb.table_of(series_id)].levels
        by_level = {"riket": {"0000"}, "lan": LAN, "kommun": FOCUS_KOMMUNER}
        expected = set().union(*(by_level[level] for level in levels))
        assert geos == expected, series_id
    sex_of = {s: {r["sex"] for r in rows if r["series_id"] == s} for s in build_scb.SERIES}
    assert sex_of["AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2"] == {"T"}
    assert sex_of["AM/AM9906/AM9906A/RegionInd19M2N|Grupp=totalt"] == {"T", "K", "M"}


def test_synthetic_scb_values_stay_within_the_units_range():
    for row in served():
        value = float(row["value"])
        assert value >= 0, row
        if "procent" in json.dumps(build_scb.TABLES[row["table_id"]].unit):
            assert value <= 100, row


def test_tables_json_marks_v1_tables_reconstructed_and_tab6471_recorded():
    tables = json.loads((snapshot.SCB_DIR / "tables.json").read_text(encoding="utf-8"))
    v1 = {k: v for k, v in tables.items() if v["api"] == "v1"}
    assert set(v1) == set(build_scb.TABLES)
    for table in v1.values():
        assert table["reconstructed"] is True and "Reconstructed" in table["note"]
        assert table["unit"] and table["title"]
        codes = [v["code"] for v in table["variables"]]
        assert codes[0] == "Region" and codes[-1] == "Tid"
    assert tables["TAB6471"]["api"] == "v2" and tables["TAB6471"]["recorded"] is True
    assert tables["TAB6471"]["unit"] == {"000007SF": {"base": "antal", "decimals": 0}}


def test_the_scb_readme_counts_match_the_snapshot():
    _, counts = build_scb.build()
    readme = (snapshot.SCB_DIR / "README.md").read_text(encoding="utf-8")
    assert build_scb.counts_markdown(counts) in readme


def test_the_scb_modules_import_without_dagster():
    proc = run_without_dagster(
        """
        import ingest.pxweb, ingest.pxweb.load, ingest.replay.pxweb, ingest.snapshot.build_scb
        import sys
        assert not [m for m in sys.modules if m.startswith("dagster")], "dagster was imported"
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_population_by_sex_is_real_where_published_and_flagged_where_derived():
    rows = {
        (r["region_code"], int(r["year"]), r["sex"]): r
        for r in build_scb.population_rows(build_scb.geographies())
    }
    # Riket 31 Dec 2017 = K + M summed over civilstånd: SCB's published 10 120 242.
    riket = rows[("0000", 2017, "T")]
    assert float(riket["value"]) == 10120242.0 and riket["is_synthetic"] == "true"
    assert "sum over civilstånd" in rows[("0000", 2017, "K")]["provenance"]
    # A kommun's total is the published figure, served unflagged; its sex split is generated.
    orebro = rows[("1880", 2017, "T")]
    assert orebro["is_synthetic"] == "false" and "@" in orebro["provenance"]
    assert rows[("1880", 2017, "K")]["is_synthetic"] == "true"
    women, men = (float(rows[("1880", 2017, s)]["value"]) for s in ("K", "M"))
    assert abs(women + men - float(orebro["value"])) <= 1  # rounding to whole persons
    # A län's total is the sum of all its kommuner, flagged as derived.
    assert "sum of the kommuner of 0018" in rows[("0018", 2017, "T")]["provenance"]
