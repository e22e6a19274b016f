from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.catalogue import (
    SEEDS_DIR,
    check_catalogue,
    follow_up_scope,
    read_geographies,
    read_indicators,
)
from ingest.errors import CatalogueError
from tests.conftest import catalogue_copy


def test_the_bundled_catalogue_is_valid_and_every_indicator_is_linked():
    indicators = read_indicators()
    assert len(indicators) >= 6
    with (SEEDS_DIR / "indicator_links.csv").open(encoding="utf-8") as f:
        linked = {r["indicator_id"] for r in csv.DictReader(f)}
    assert {i.indicator_id for i in indicators} == linked


def _write_with(tmp_path: Path, line: int, **changes: str) -> Path:
    return catalogue_copy(tmp_path, line, **changes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"desired_direction": "up"}, "desired_direction", "expected one of"),
        ({"source_series_id": "X1982"}, "source_series_id", "not a Kolada KPI id"),
        (
            {
                "target_type": "absolute",
                "target_value": "180",
                "scale": "percent",
                "natural_max": "100",
            },
            "target_value",
            "outside the unit's range",
        ),
        ({"target_type": "absolute", "target_value": ""}, "target_value", "needs a value"),
        ({"indicator_id": "<id of line 2>"}, "indicator_id", "duplicates line 2"),
        ({"geography_levels": "kommun;county"}, "geography_levels", "expected"),
        ({"short_label": ""}, "short_label", "expected a Swedish noun phrase"),
        ({"short_label": "Andel " * 12}, "short_label", "of 1–60 characters"),
        ({"measure": "sum"}, "measure", "expected one of ['intensive', 'total']"),
        ({"measure": "total", "target_type": "national"}, "target_type", "which a total"),
        (
            {"comparison_indicator_id": "population"},
            "comparison_indicator_id",
            "only a total names",
        ),
        (
            {"measure": "total", "comparison_indicator_id": "population"},
            "comparison_indicator_id",
            "an intensive indicator",
        ),
        ({"sex_gap_target": "shrink"}, "sex_gap_target", "expected empty or 'decrease'"),
        (
            {"sex_gap_target": "decrease", "has_sex_split": "false"},
            "sex_gap_target",
            "has_sex_split true",
        ),
    ],
    ids=[
        "bad-direction",
        "bad-kpi-id",
        "target-out-of-range",
        "target-missing",
        "duplicate-id",
        "bad-level",
        "short-label-missing",
        "short-label-a-title",
        "bad-measure",
        "total-against-riket",
        "comparison-on-an-intensive-measure",
        "comparison-with-a-total",
        "gap-target-unknown",
        "gap-target-without-women-and-men",
    ],
)
def test_a_malformed_row_fails_naming_file_line_and_field(tmp_path, changes, field, message):
    if changes.get("indicator_id") == "<id of line 2>":
        changes = {"indicator_id": read_indicators()[0].indicator_id}
    path = _write_with(tmp_path, 3, **changes)
    with pytest.raises(CatalogueError) as err:
        read_indicators(path)
    assert err.value.path == str(path)
    assert err.value.line == 3
    assert err.value.field == field
    assert message in str(err.value)
    assert f"{path}:3: field {field!r}" in str(err.value)


def test_every_total_is_a_count_or_an_amount_and_never_compared_by_its_target():
    """The bundled catalogue: totals are the measures in tonnes, hectares, inhabitants, MWh
    and mnkr; each total's comparison sibling (where there is one) is its per-inhabitant form."""
    by_id = {i.indicator_id: i for i in read_indicators()}
    totals = {i.indicator_id for i in by_id.values() if i.measure == "total"}
    assert totals == {
        "ghg_emissions_total",
        "pasture_land_total",
        "population",
        "grp_lan_mnkr_scb",
        "final_energy_use_mwh",
    }
    assert all(by_id[i].target_type not in ("national", "peer") for i in totals)
    assert by_id["ghg_emissions_total"].comparison_indicator_id == "ghg_emissions_per_inhabitant"
    assert by_id["final_energy_use_mwh"].comparison_indicator_id == "energy_use_per_inhabitant"
    assert all(i.measure == "intensive" for i in by_id.values() if "/inv" in i.unit)


def test_follow_up_scope_is_riket_all_lan_and_the_regions_kommuner():
    scope = follow_up_scope(read_geographies(), "0018")
    assert "0000" in scope
    assert len([c for c in scope if c.startswith("00") and c != "0000"]) == 21
    assert sorted(c for c in scope if not c.startswith("00")) == [
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
    ]


def test_another_region_is_a_setting_not_code():
    scope = follow_up_scope(read_geographies(), "0020")  # Dalarnas län
    assert "2080" in scope and "1880" not in scope


def test_an_unknown_region_code_is_rejected_with_the_expected_codes():
    with pytest.raises(ValueError, match="RUS_REGION '0099' is not a län code"):
        follow_up_scope(read_geographies(), "0099")


def _copy_seeds(tmp_path: Path) -> Path:
    for name in (
        "indicators.csv",
        "indicator_ratios.csv",
        "indicator_links.csv",
        "rus_areas.csv",
        "rus_focus_efforts.csv",
        "rus_perspectives.csv",
        "rus_goals.csv",
    ):
        (tmp_path / name).write_bytes((SEEDS_DIR / name).read_bytes())
    return tmp_path


def _edit_links(seeds: Path, line: int, **changes: str) -> None:
    path = seeds / "indicator_links.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[line - 2].update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_the_bundled_catalogue_passes_every_check_and_covers_the_strategy():
    indicators = check_catalogue()
    assert len(indicators) >= 40


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"link_type": "area", "link_id": "A11"}, "link_id", "unknown area code 'A11'"),
        (
            {"link_type": "focus_effort", "link_id": "K9"},
            "link_id",
            "unknown focus_effort code 'K9'",
        ),
        ({"link_type": "region"}, "link_type", "expected one of"),
        ({"indicator_id": "no_such_indicator"}, "indicator_id", "not in indicators.csv"),
        ({"is_primary": "yes"}, "is_primary", "not true/false"),
    ],
    ids=["unknown-area", "unknown-kraftsamling", "bad-link-type", "unknown-indicator", "bad-bool"],
)
def test_a_malformed_link_fails_naming_file_line_and_field(tmp_path, changes, field, message):
    seeds = _copy_seeds(tmp_path)
    _edit_links(seeds, 4, **changes)
    with pytest.raises(CatalogueError) as err:
        check_catalogue(seeds)
    assert err.value.line == 4 and err.value.field == field
    assert str(err.value).startswith(f"{seeds / 'indicator_links.csv'}:4: field {field!r}")
    assert message in str(err.value)


def test_an_area_followed_by_fewer_than_two_indicators_is_rejected(tmp_path):
    seeds = _copy_seeds(tmp_path)
    path = seeds / "indicator_links.csv"
    with path.open(encoding="utf-8") as f:
        rows = [
            r for r in csv.DictReader(f) if not (r["link_type"] == "area" and r["link_id"] == "A10")
        ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(CatalogueError, match="area A10 is followed by 0 indicator"):
        check_catalogue(seeds)


def test_a_relative_target_below_minus_100_percent_is_rejected(tmp_path):
    path = _write_with(tmp_path, 2, target_type="relative", target_value="-120")
    with pytest.raises(CatalogueError, match="below zero"):
        read_indicators(path)


def test_the_country_scope_holds_every_kommun_and_a_bad_scope_names_itself():
    geographies = read_geographies()
    country = follow_up_scope(geographies, "0018", "country")
    assert len(country) == 312  # Riket, 21 län, 290 kommuner
    assert set(follow_up_scope(geographies, "0018")) < set(country)
    with pytest.raises(ValueError, match="geography scope 'world'"):
        follow_up_scope(geographies, "0018", "world")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"natural_min": "low"}, "natural_min", "'low' is not a number"),
        ({"target_year": "2030.5"}, "target_year", "'2030.5' is not an integer year"),
        ({"has_sex_split": "ja"}, "has_sex_split", "'ja' is not true/false"),
        ({"short_label": " Andel"}, "short_label", "without surrounding spaces"),
        ({"source": "eurostat"}, "source", "expected one of ['kolada', 'ratio', 'scb']"),
        ({"geography_levels": ""}, "geography_levels", "expected ';'-separated"),
        ({"target_source": " "}, "target_source", "must say where the target comes from"),
    ],
    ids=["number", "year", "flag", "spaces", "source", "no-level", "no-target-source"],
)
def test_each_field_check_names_its_field(tmp_path, changes, field, message):
    """The row's checks one by one (ingest/catalogue.py ``_indicator``): each field that does not
    parse or is not allowed is an error naming it."""
    path = _write_with(tmp_path, 4, **changes)
    with pytest.raises(CatalogueError) as err:
        read_indicators(path)
    assert (err.value.line, err.value.field) == (4, field)
    assert message in str(err.value)


def test_the_first_problem_of_a_row_is_the_one_named(tmp_path):
    """A bad id is found before a bad source, a bad source before a bad target."""
    path = _write_with(tmp_path, 2, indicator_id="Bad", source="x", target_value="x")
    with pytest.raises(CatalogueError, match="is not a lowercase slug"):
        read_indicators(path)
    path = _write_with(tmp_path, 2, source="x", target_value="x")
    with pytest.raises(CatalogueError, match="'x'; expected one of"):
        read_indicators(path)
