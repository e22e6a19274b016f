"""The bundled snapshot: exactly what its one command builds, real values only, every geography."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from ingest.snapshot import BUNDLED, build, files, kolada_build, realdata, scb_build, vintages
from ingest.snapshot.scb_specs import load_specs
from tests.unit.test_import_boundaries import run_without_dagster

GEOS = files.read_rows(files.SOURCES / realdata.GEOGRAPHIES)
KOMMUNER_OF = defaultdict(set)
for _g in GEOS:
    if _g["level"] == "kommun":
        KOMMUNER_OF[_g["lan_code"]].add(_g["geography_code"])


@pytest.fixture(scope="module")
def kolada() -> list[dict]:
    return BUNDLED.kolada_values()


def test_the_committed_snapshot_is_what_the_build_command_makes():
    assert build.differences(build.render()) == []


@pytest.mark.skipif(
    not realdata.DEFAULT_REALDATA.is_dir(), reason="the real-data collection is not beside the repo"
)
def test_the_committed_sources_are_what_the_real_data_collection_gives():
    assert realdata.check_sources() == []


def test_every_served_value_is_real_with_its_source():
    for row in [*BUNDLED.kolada_values(), *BUNDLED.scb_values()]:
        assert row["is_synthetic"] is False, row
        repo, _, path = row["provenance"].partition(":")
        assert "@" in repo and path, row


def test_real_values_are_served_unchanged_and_the_newest_vintage_wins(kolada):
    copies = defaultdict(list)
    for r in files.read_rows(files.SOURCES / realdata.KOLADA_VALUES):
        copies[(r["series_id"], r["geography_code"], int(r["year"]), r["sex"] or "T")].append(r)
    assert len(kolada) == len(copies)
    for row in kolada:
        key = (row["kpi"], row["municipality"], row["period"], row["gender"])
        best = vintages.newest(copies[key], key)
        expected = None if best["value"] in ("", "nan") else float(best["value"])
        assert row["value"] == expected and row["provenance"] == best["provenance"], key
    served = {(r["kpi"], r["municipality"], r["period"]): r for r in kolada if r["gender"] == "T"}
    # Nora's BRP 2019: the 2024-08 scrape has Kolada's revision, rKolada's 2024-03 copy does not.
    nora = served[("N03702", "1884", 2019)]
    assert nora["value"] == 234.010815 and nora["provenance"].startswith("open-numbers/")
    # Lindesberg's BRP 2021 was revised between rKolada's 2024-04 and 2026-03 snapshots.
    assert served[("N03702", "1885", 2021)]["value"] == 424.643024


def test_every_geography_has_the_values_the_source_publishes(kolada):
    eligibility_2022 = {
        r["municipality"] for r in kolada if (r["kpi"], r["period"]) == ("N15428", 2022)
    }
    assert {g["geography_code"] for g in GEOS} <= eligibility_2022  # Riket, 21 län, 290 kommuner
    for lan, n in (("0020", 15), ("0001", 26), ("0018", 12)):
        assert len(KOMMUNER_OF[lan]) == n and KOMMUNER_OF[lan] <= eligibility_2022
    # Örebro län has the lowest share of the 21 län in 2022 (the region's own 2022 follow-up).
    lan_2022 = {
        r["municipality"]: r["value"]
        for r in kolada
        if (r["kpi"], r["period"], r["gender"]) == ("N15428", 2022, "T")
        and r["municipality"].startswith("00")
        and r["municipality"] != "0000"
    }
    assert len(lan_2022) == 21 and min(lan_2022, key=lan_2022.get) == "0018"
    assert lan_2022["0018"] == 78.6


def test_a_key_no_source_has_is_absent(kolada):
    keys = {(r["kpi"], r["municipality"], r["period"], r["gender"]) for r in kolada}
    assert ("N15428", "0018", 2010, "T") not in keys  # Kolada has no län value for 2010
    assert not [k for k in keys if k[0] == "N00923" and k[3] != "T"]  # one sex per KPI
    assert not [k for k in keys if k[0] in ("N03701", "N07945")]  # no real figure at all
    assert not [k for k in keys if k[2] > 2023]


def test_tables_json_marks_v1_tables_reconstructed_and_tab6471_recorded():
    tables = json.loads((BUNDLED.scb_dir / "tables.json").read_text(encoding="utf-8"))
    v1 = {k: v for k, v in tables.items() if v["api"] == "v1"}
    assert set(v1) == set(load_specs().tables)
    served = {(r["table_id"], r["region_code"]) for r in BUNDLED.scb_values()}
    for name, table in v1.items():
        assert table["reconstructed"] is True and "Reconstructed" in table["note"]
        codes = [v["code"] for v in table["variables"]]
        assert codes[0] == "Region" and codes[-1] == "Tid"
        regions = table["variables"][0]["values"]
        assert {(name, r.zfill(4)) for r in regions} == {s for s in served if s[0] == name}
    assert tables["TAB6471"]["api"] == "v2" and tables["TAB6471"]["recorded"] is True


def test_scb_series_keep_every_real_row_and_no_other(kolada):
    specs = load_specs()
    rows = scb_build.served_rows(specs)
    assert {r["series_id"] for r in rows} == set(specs.series)
    kommun_unemployment = [r for r in rows if r["table_id"] == "AM/AM0210/AM0210D/ArRegArbStatus"]
    assert len({r["region_code"] for r in kommun_unemployment}) == 290
    matching = [r for r in rows if r["table_id"] == "AM/AM9906/AM9906A/RegionInd19M2N"]
    assert {r["sex"] for r in matching} == {"T", "K", "M"}
    assert "0000" not in {r["region_code"] for r in matching}  # not in the real material


def test_two_copies_that_no_vintage_orders_are_an_error_naming_the_key():
    a = {"value": "1.0", "provenance": "someone/else@1:a.csv"}
    b = {"value": "2.0", "provenance": "someone/else@2:b.csv"}
    with pytest.raises(ValueError, match=r"\('N1', '0001', 2020, 'T'\).*disagree"):
        vintages.newest([a, b], ("N1", "0001", 2020, "T"))
    newer = {"value": "3.0", "provenance": vintages.VINTAGES[0][0] + ":R/sysdata.rda"}
    assert vintages.newest([a, newer], ("k",)) is newer


def test_a_malformed_source_value_is_an_error_naming_the_file_and_the_key():
    with pytest.raises(ValueError, match=r"kolada_values.csv.gz: value 'n/a' for \('N1',"):
        kolada_build._value("n/a", ("N1", "0001", 2020, "T"))


def test_the_snapshot_stays_small_in_the_repository():
    committed = [p for p in files.HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert sum(p.stat().st_size for p in committed) < 15 * 1024 * 1024


def test_the_snapshot_modules_import_without_dagster():
    proc = run_without_dagster(
        """
        import ingest.snapshot.build, ingest.snapshot.realdata, ingest.replay.server
        import sys
        assert not [m for m in sys.modules if m.startswith("dagster")], "dagster was imported"
        print("ok")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
