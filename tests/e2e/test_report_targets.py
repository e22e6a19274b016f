"""The report's targets and kontrollstationer on the real publication of a clean run: every
catalogue target is stated with its source, and the path the kontrollstationer print is the one
every status is judged against (a county ahead of the path in a year is exactly a county whose
progress ratio that year is at least 1), over the whole published gap table."""

from __future__ import annotations

import math

import duckdb
import pytest

from orchestration.gap_method.numbers import as_float
from orchestration.report.targets import (
    MOVING_TYPES,
    constant_rate,
    distance_path,
    value_path,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("first_run")]


@pytest.fixture(scope="module")
def published(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    yield con
    con.close()


def test_every_target_is_stated_with_its_source(first_run, published):
    targets = published.execute(
        "select short_label, target_source from dim_indicator where target_type <> 'direction'"
    ).fetchall()
    assert len(targets) >= 7
    (report,) = (first_run[0] / "reports").glob("uppfoljning_*.md")
    text = report.read_text(encoding="utf-8")
    section = text.split("## Mål och kontrollstationer")[1].split("\n## ")[0]
    table = section.split("### Mål och källor")[1].split("### ")[0]
    for label, source in targets:
        row = next((r for r in table.splitlines() if r.startswith(f"| {label} (")), None)
        assert row is not None, label
        assert row.endswith(f"| {source} |"), row
    assert "### Kontrollstationer 2020 och 2025" in section
    assert "Kontrollstation 2020: utfall" in section and "Kontrollstation 2025: bana" in section


def _ahead_of_path(row: dict) -> bool | None:
    """Whether the row's value is at or ahead of the kontrollstation path in its own year (None
    where the path is undefined)."""
    t, b, y = (int(row[k]) for k in ("assessment_year", "baseline_year_used", "target_year"))
    d = as_float(row["direction_sign"])
    if row["target_type"] in MOVING_TYPES:
        d_b = d * (row["baseline_value"] - row["benchmark_baseline_value"])
        if d_b >= 0:
            return None  # nothing was needed: R is ±∞, not stored
        return row["distance_to_target"] >= distance_path(d_b, b, y, t)
    path = value_path(row["baseline_value"], b, row["target_level"], y, t, constant_rate(row))
    direction = -1.0 if row["target_type"] == "gap" else d
    return direction * (row["assessed_value"] - path) >= -1e-9 * abs(path)


def test_the_kontrollstation_path_is_the_one_every_status_is_judged_against(published):
    rows = published.execute(
        "select * from gap_indicator_annual where target_type in "
        "('absolute', 'relative', 'gap', 'national', 'peer') and backward_ratio is not null "
        "and status not in ('target_met', 'target_met_worsening') and target_level is not null "
        "and assessment_year > baseline_year_used"
    ).df()
    assert len(rows) > 1000
    checked = 0
    for row in rows.to_dict("records"):
        ratio = float(row["backward_ratio"])
        if math.isclose(ratio, 1.0, abs_tol=1e-6):
            continue
        ahead = _ahead_of_path(row)
        if ahead is None:
            continue
        assert ahead == (ratio >= 1.0), (row["indicator_id"], row["geography_code"], row)
        checked += 1
    assert checked > 1000
