"""Ratio indicators in the catalogue (ingest/ratios.py): a ``source = ratio`` row of
indicators.csv is declared in indicator_ratios.csv and vice versa, its inputs are fetched
indicators, and nothing that fetches sees it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.catalogue import SEEDS_DIR, check_catalogue, read_indicators
from ingest.errors import CatalogueError
from ingest.ratios import (
    RATIOS_FILE,
    IndicatorRatio,
    check_ratios,
    fetch_baselines,
    ratio_series_id,
)
from ingest.snapshot import files
from ingest.snapshot.coverage import coverage
from tests.conftest import catalogue_copy

RATIO = "energy_use_per_grp"
with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8") as _f:
    RATIO_LINE = next(
        n for n, row in enumerate(csv.DictReader(_f), start=2) if row["indicator_id"] == RATIO
    )
HEADER = "indicator_id,numerator_indicator_id,denominator_indicator_id,multiplier\n"
LINKED = ("areas", "focus_efforts", "perspectives", "goals")  # what indicator_links.csv names
DECLARED = "energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,1000\n"


def _with_ratios(tmp_path: Path, text: str, line: int = RATIO_LINE, **changes: str) -> Path:
    """A copy of the catalogue whose indicator_ratios.csv is ``text`` (and whose row on ``line``
    of indicators.csv has ``changes``); returns the indicators.csv path."""
    path = catalogue_copy(tmp_path, line, **changes)
    (tmp_path / RATIOS_FILE).write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as err:
        read_indicators(path)
    return err.value


def test_the_bundled_ratio_is_energy_per_grp_in_kwh_per_mnkr():
    indicators = read_indicators()
    by_id = {i.indicator_id: i for i in indicators}
    ratios = check_ratios(
        indicators, "indicators.csv", SEEDS_DIR / RATIOS_FILE, frozenset({"kolada", "scb"})
    )
    assert ratios == [IndicatorRatio(RATIO, "final_energy_use_mwh", "grp_lan_mnkr_scb", 1000.0)]
    ratio = by_id[RATIO]
    assert (ratio.source, ratio.source_series_id) == ("ratio", "N45941/NR0105AH")
    assert ratio_series_id(by_id["final_energy_use_mwh"], by_id["grp_lan_mnkr_scb"]) == (
        "N45941/NR0105AH"
    )
    assert (ratio.unit, ratio.target_type, ratio.target_value) == ("kWh/mnkr", "relative", -50)
    assert (ratio.baseline_year, ratio.geography_levels) == (2005, frozenset({"riket", "lan"}))
    assert "Verksamhetsplan med budget 2023, s. 26 (effektmål 5)" in ratio.target_source
    assert "Energi- och klimatprogram för Örebro län" in ratio.target_source
    assert "Energianvändning per BRP" in by_id["final_energy_use_mwh"].target_source


@pytest.mark.parametrize(
    ("ratios", "changes", "field", "message"),
    [
        (HEADER, {}, "source", "has no row in"),
        (HEADER + DECLARED, {"geography_levels": "riket;lan;kommun"}, "geography_levels",
         "expected a subset of 'lan;riket'"),
        (HEADER + DECLARED, {"has_sex_split": "true"}, "has_sex_split", "expected false"),
        (HEADER + DECLARED, {"source_series_id": "N45941/BRP"}, "source_series_id",
         "expected 'N45941/NR0105AH'"),
    ],
    ids=["undeclared", "levels-beyond-the-inputs", "sex-split-the-inputs-lack", "stale-formula"],
)  # fmt: skip
def test_a_ratio_row_at_odds_with_its_declaration_names_the_catalogue_line(
    tmp_path, ratios, changes, field, message
):
    path = _with_ratios(tmp_path, ratios, **changes)
    err = _error(path)
    assert (err.path, err.line, err.field) == (str(path), RATIO_LINE, field)
    assert message in str(err)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("final_energy_use_mwh,final_energy_use_mwh,grp_lan_mnkr_scb,1000", "indicator_id",
         "with source 'ratio'"),
        ("energy_use_per_grp,no_such_indicator,grp_lan_mnkr_scb,1000", "numerator_indicator_id",
         "expected the indicator_id of a fetched indicator"),
        ("energy_use_per_grp,final_energy_use_mwh,energy_use_per_grp,1000",
         "denominator_indicator_id", "not 'ratio'"),
        ("energy_use_per_grp,final_energy_use_mwh,final_energy_use_mwh,1000",
         "denominator_indicator_id", "is the numerator too"),
        ("energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,0", "multiplier",
         "expected a positive number"),
        ("energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,-1000", "multiplier",
         "expected a positive number"),
        ("energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,inf", "multiplier",
         "expected a positive number"),
        ("energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,", "multiplier",
         "expected a positive number"),
        ("energy_use_per_grp,final_energy_use_mwh,grp_lan_mnkr_scb,tusen", "multiplier",
         "'tusen' is not a number"),
    ],
    ids=["not-a-ratio-row", "unknown-numerator", "ratio-of-a-ratio", "same-input-twice", "zero",
         "negative", "infinite", "empty", "not-a-number"],
)  # fmt: skip
def test_a_malformed_ratio_declaration_names_its_file_line_and_field(tmp_path, row, field, message):
    path = _with_ratios(tmp_path, f"{HEADER}{row}\n")
    err = _error(path)
    assert (err.path, err.line, err.field) == (str(tmp_path / RATIOS_FILE), 2, field)
    assert str(err).startswith(f"{tmp_path / RATIOS_FILE}:2: field {field!r}")
    assert message in str(err)


def test_a_declarations_file_without_a_column_names_the_column(tmp_path):
    path = _with_ratios(tmp_path, HEADER.replace(",multiplier", "") + DECLARED)
    err = _error(path)
    assert (err.path, err.line, err.field) == (str(tmp_path / RATIOS_FILE), 1, "multiplier")
    assert "missing; expected columns" in str(err)


def test_a_ratio_declared_twice_is_refused(tmp_path):
    path = _with_ratios(tmp_path, HEADER + DECLARED + DECLARED)
    err = _error(path)
    assert (err.line, err.field) == (3, "indicator_id")
    assert "duplicates line 2" in str(err)


def test_without_the_declarations_file_a_ratio_row_is_refused(tmp_path):
    path = catalogue_copy(tmp_path, 2)
    (tmp_path / RATIOS_FILE).unlink()
    err = _error(path)
    assert (err.line, err.field) == (RATIO_LINE, "source")


def test_check_catalogue_reads_the_declarations_beside_the_catalogue(tmp_path):
    for name in ("indicator_links.csv", *(f"rus_{n}.csv" for n in LINKED)):
        (tmp_path / name).write_bytes((SEEDS_DIR / name).read_bytes())
    _with_ratios(tmp_path, HEADER + DECLARED)
    assert RATIO in {i.indicator_id for i in check_catalogue(tmp_path)}
    (tmp_path / RATIOS_FILE).write_text(HEADER + DECLARED.replace("1000", "0"), encoding="utf-8")
    with pytest.raises(CatalogueError, match=f"{RATIOS_FILE}:2: field 'multiplier'"):
        check_catalogue(tmp_path)


def test_nothing_that_fetches_or_serves_sees_the_ratio():
    """The snapshot's series per source and its coverage table hold fetched series only (the
    loaders, the live check and the raw checks keep the indicators of their own source)."""
    for source in ("kolada", "scb"):
        assert "N45941/NR0105AH" not in files.catalogue_series(source)
    fetched = [i for i in read_indicators() if i.source in ("kolada", "scb")]
    assert RATIO not in {i.indicator_id for i in fetched}
    empty = files.values_table([], files.KOLADA_SCHEMA), files.values_table([], files.SCB_SCHEMA)
    assert [r["indicator_id"] for r in coverage(*empty)] == [i.indicator_id for i in fetched]


def test_a_ratios_inputs_are_fetched_back_to_its_baseline():
    """Energy per BRP is judged from 2005: SCB's BRP is fetched from then, though every SCB
    indicator of its own starts later (the loaders fetch from the earliest of these years)."""
    catalogue = read_indicators()
    assert min(i.baseline_year for i in catalogue if i.source == "scb") > 2005
    assert min(fetch_baselines(catalogue, "scb")) == 2005
    assert min(fetch_baselines(catalogue, "kolada")) == 2005
    by_id = {i.indicator_id: i for i in catalogue}
    assert by_id[RATIO].ratio == IndicatorRatio(
        RATIO, "final_energy_use_mwh", "grp_lan_mnkr_scb", 1000.0
    )
    assert by_id["final_energy_use_mwh"].ratio is None
