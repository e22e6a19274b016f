"""Charts render offline at a sane size, also for a series with only kommun values."""

from __future__ import annotations

import re

import pandas as pd

from orchestration.report import charts


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
    from orchestration.report.series_breaks import SeriesBreak

    brk = [SeriesBreak("x", 2021, 2022, "ny metod", "Källan")]
    lan = kommuner(True).assign(kind=["county", "lan", "lan", "riket"])
    for svg in (
        charts.trend_chart(trend, "Länet och riket", "%"),
        charts.trend_chart(trend.assign(year=[2021, 2022]), "Länet", "%", brk),
        charts.sex_chart(sexes, "Kvinnor och män", "%"),
        charts.kommun_chart(kommuner(True), "Länets kommuner", "%"),
        charts.lan_chart(lan, ["Rikets län 2022", "Per invånare"], "%"),
    ):
        assert svg.startswith("<svg")


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_lines_of_a_measure_that_cannot_be_negative_start_at_zero():
    # 69 → 76 over two years: an axis from 68 to 77 would make it look like a tenfold jump.
    frame = pd.DataFrame({"serie": ["Örebro län"] * 2, "year": [2021, 2022], "value": [69.0, 76.0]})
    scale = charts.y_scale(frame["value"]).to_dict()
    assert scale["zero"] is True and "domain" not in scale
    assert "0" in texts(charts.trend_chart(frame, "Örebro län", "%"))


def test_a_measure_with_negative_values_gets_a_minimum_span():
    scale = charts.y_scale([-1.0, -1.1]).to_dict()
    lo, hi = scale["domain"]
    assert scale["zero"] is False and hi - lo >= 0.2 * 1.1 - 1e-9 and lo < -1.1 and hi > -1.0
    wide = charts.y_scale([-50.0, 40.0]).to_dict()
    assert wide["domain"] == [-50.0, 40.0]  # already wider than the minimum


def test_axis_figures_are_plain_swedish_numbers():
    frame = pd.DataFrame(
        {"serie": ["Örebro län"] * 3, "year": [2020, 2021, 2022], "value": [1.2e6, 1.17e6, 1.1e6]}
    )
    labels = texts(charts.trend_chart(frame, "Örebro län", "ton CO2-ekv"))
    assert "1\u00a0200\u00a0000" in labels
    assert not [t for t in labels if re.search(r"\d[eE][+-]?\d|\d,\d{3}\b", t)]


def test_place_labels_get_room_for_a_wider_font_than_they_were_measured_with():
    # Vega measures with Liberation Sans (Arial's metrics); a browser may draw DejaVu Sans, in
    # which this label is 10.5 em wide: the room reserved has 10 % to spare even then.
    name = "Västra Götalands län"
    assert charts.label_extent([name]) >= 1.1 * 10.5 * charts.LABEL_SIZE
    assert charts.label_extent([name], bold=[name]) > charts.label_extent([name])
    lan = pd.DataFrame(
        {
            "geography_name": [name, "Örebro län", "Riket"],
            "kind": ["lan", "county", "riket"],
            "year": 2022,
            "value": [5.0, 4.0, 4.5],
        }
    )
    svg = charts.lan_chart(lan, "Rikets län 2022", "%")
    # The bars start right of the reserved room, and no label is shortened with an ellipsis.
    x = float(re.search(r'<g[^>]*transform="translate\(([\d.]+),', svg).group(1))
    assert x >= charts.label_extent([name, "Örebro län"], bold=["Örebro län"])
    assert name in texts(svg) and not [t for t in texts(svg) if t.endswith("…")]


def test_a_series_break_is_a_labelled_rule_between_its_two_years():
    from orchestration.report.series_breaks import SERIES_BREAKS, SeriesBreak, breaks_for

    brk = SeriesBreak("x", 2016, 2017, "ändrad definition", "Källan")
    frame = pd.DataFrame(
        {"serie": ["Riket"] * 4, "year": [2015, 2016, 2017, 2018], "value": [75.0, 76, 72, 73]}
    )
    svg = charts.trend_chart(frame, "Riket", "%", breaks_for("x", frame["year"], [brk]))
    assert "Tidsseriebrott" in texts(svg)
    assert "Tidsseriebrott" not in texts(charts.trend_chart(frame, "Riket", "%"))
    # Only breaks inside the years shown are marked.
    assert breaks_for("x", [2017, 2018], [brk]) == [] and breaks_for("y", None, [brk]) == []
    assert brk.caption == "Tidsseriebrott mellan 2016 och 2017: ändrad definition (källa: Källan)."
    # The declared breaks: Kolada N15419's between 2016 and 2017.
    (grade_9,) = breaks_for("grade_9_passed_all_subjects")
    assert (grade_9.last_year_before, grade_9.first_year_after) == (2016, 2017)
    assert grade_9 in SERIES_BREAKS and "Kolada" in grade_9.source
