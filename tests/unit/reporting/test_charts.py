"""Charts render offline at a sane size, also for a series with only kommun values."""

from __future__ import annotations

import re

import pandas as pd

from orchestration.reporting import charts


def size(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\bwidth="([^"]+)"[^>]*\bheight="([^"]+)"', svg)
    assert m, svg[:200]
    return float(m.group(1)), float(m.group(2))


def kommuner(with_benchmarks: bool) -> pd.DataFrame:
    rows = [("Örebro", "kommun", 2022, 5.0), ("Kumla", "kommun", 2022, 4.0)]
    if with_benchmarks:
        rows += [("Örebro län", "benchmark", 2022, 4.5), ("Riket", "benchmark", 2022, 4.2)]
    return pd.DataFrame(rows, columns=["geography_name", "kind", "year", "value"])


def test_a_kommun_only_series_renders_at_a_sane_size():
    # Some SCB series exist only per kommun: no county or Riket rule to draw.
    width, height = size(charts.kommun_chart(kommuner(False), "Länets kommuner", "%"))
    assert 100 < width < 1000 and 20 < height < 1000


def test_kommuner_with_county_and_riket_rules_render():
    svg = charts.kommun_chart(kommuner(True), "Länets kommuner", "%")
    assert "Riket" in svg and "Örebro län" in svg
    assert max(size(svg)) < 1000


def test_the_trend_chart_draws_the_target_path():
    frame = pd.DataFrame(
        {
            "serie": ["Örebro län", "Örebro län", "Riket", "Riket", "Målbana till 2030"] * 1,
            "year": [2020, 2021, 2020, 2021, 2030],
            "value": [1.0, 2.0, 1.5, 2.5, 5.0],
        }
    )
    svg = charts.trend_chart(frame, "Örebro län och riket med målbana", "%")
    assert "Målbana till 2030" in svg and max(size(svg)) < 1000


def test_every_chart_kind_is_a_valid_vega_lite_spec(monkeypatch):
    # The report renders without Altair's schema validation (for speed); here it is on.
    monkeypatch.setattr(charts, "VALIDATE", True)
    trend = pd.DataFrame(
        {"serie": ["Örebro län", "Riket"], "year": [2022, 2022], "value": [4.5, 4.2]}
    )
    sexes = pd.DataFrame({"serie": ["Kvinnor", "Män"], "year": [2022, 2022], "value": [5.0, 4.0]})
    for svg in (
        charts.trend_chart(trend, "Länet och riket", "%"),
        charts.sex_chart(sexes, "Kvinnor och män", "%"),
        charts.kommun_chart(kommuner(True), "Länets kommuner", "%"),
    ):
        assert svg.startswith("<svg")
