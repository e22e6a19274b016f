from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.catalogue import SEEDS_DIR, follow_up_scope, read_geographies, read_indicators
from ingest.errors import CatalogueError


def test_the_bundled_catalogue_is_valid_and_every_indicator_is_linked():
    indicators = read_indicators()
    assert len(indicators) >= 6
    with (SEEDS_DIR / "indicator_links.csv").open(encoding="utf-8") as f:
        linked = {r["indicator_id"] for r in csv.DictReader(f)}
    assert {i.indicator_id for i in indicators} == linked


def _write_with(tmp_path: Path, line: int, **changes: str) -> Path:
    """Copy the real catalogue, changing fields of the row on ``line`` (header = line 1)."""
    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[line - 2].update(changes)
    path = tmp_path / "indicators.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"desired_direction": "up"}, "desired_direction", "expected one of"),
        ({"source_series_id": "X1982"}, "source_series_id", "not a Kolada KPI id"),
        (
            {"target_type": "absolute", "target_value": "180"},
            "target_value",
            "outside the unit's range",
        ),
        ({"target_type": "absolute", "target_value": ""}, "target_value", "needs a value"),
        ({"indicator_id": "post_secondary_education_25_64"}, "indicator_id", "duplicates line 2"),
        ({"geography_levels": "kommun;county"}, "geography_levels", "expected"),
    ],
    ids=[
        "bad-direction",
        "bad-kpi-id",
        "target-out-of-range",
        "target-missing",
        "duplicate-id",
        "bad-level",
    ],
)
def test_a_malformed_row_fails_naming_file_line_and_field(tmp_path, changes, field, message):
    path = _write_with(tmp_path, 3, **changes)
    with pytest.raises(CatalogueError) as err:
        read_indicators(path)
    assert err.value.path == str(path)
    assert err.value.line == 3
    assert err.value.field == field
    assert message in str(err.value)
    assert f"{path}:3: field {field!r}" in str(err.value)


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
