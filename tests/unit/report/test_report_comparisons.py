"""The report's comparisons across places: the chart of all 21 län, and totals (which grow with
a place's size) never set beside places of another size."""

from __future__ import annotations

import re

import pandas as pd

from orchestration.report.report import load_inputs, write_report
from tests.unit.report.small_publication import (
    GEOGRAPHIES,
    INDICATORS,
    publish_small,
    values_frame,
)


def all_21_lan(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fixture with 19 more län (0001–0021 but the fixture's 0018 and 0020), and share_a
    values for all but the county: 21 län; share_b keeps 1 (no side-by-side for it)."""
    codes = [f"{n:04d}" for n in range(1, 22) if n not in (18, 20)]
    extra_geo = pd.DataFrame(
        {
            "geography_code": codes,
            "geography_name": [f"Län {c}" for c in codes],
            "level": "lan",
            "lan_code": codes,
        }
    )
    county = values[(values.indicator_id == "share_a") & (values.geography_code == "0018")]
    extra = [
        county.assign(geography_code=code, value=county.value + i - 9.5)
        for i, code in enumerate([*codes, "0020"])
    ]
    return pd.concat([values, *extra], ignore_index=True), pd.concat(
        [GEOGRAPHIES, extra_geo], ignore_index=True
    )


def test_an_indicator_with_values_for_every_lan_gets_the_21_lan_chart(tmp_path):
    values, geographies = all_21_lan(values_frame())
    publish_small(tmp_path / "rus.duckdb", values, geographies=geographies)
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")

    lan = pd.read_csv(files.figures_dir / "share_a_lan.csv")
    assert (lan.kind != "riket").sum() == 21 and list(lan.kind).count("county") == 1
    assert set(lan.year) == {2022} and "Riket" in set(lan.geography_name)
    bars = lan[lan.kind != "riket"]
    assert list(bars.value) == sorted(bars.value, reverse=True)  # higher is better: best first
    # The county's place in the chart is the place its statement and status table claim.
    place = list(bars.kind).index("county") + 1
    assert f"{place} av 21" in files.html.read_text(encoding="utf-8")
    assert not (files.figures_dir / "share_b_lan.svg").exists()  # 2 län: no side-by-side
    svg = (files.figures_dir / "share_a_lan.svg").read_text(encoding="utf-8")
    assert "Örebro län" in svg and "Län 0019" in svg


def with_totals(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two totals beside share_a: total_a (tonnes) names share_a as its per-inhabitant sibling,
    total_b (hectares) has none. Their values grow with the place's size, like real totals."""
    rows = values[(values.indicator_id == "share_a") & (values.sex == "T")]
    size = rows.geography_code.map(lambda c: 45.0 if c == "0000" else 1.0 + int(c) % 7)
    totals = pd.concat(
        [
            rows.assign(indicator_id="total_a", value=1_170_000.0 * size, is_synthetic=False),
            rows.assign(indicator_id="total_b", value=9_060.0 * size, is_synthetic=False),
        ]
    )
    base = INDICATORS.iloc[1]  # a direction target: a total is judged on its own change only
    catalogue = pd.concat(
        [
            INDICATORS,
            pd.DataFrame(
                [
                    base.to_dict()
                    | {
                        "indicator_id": "total_a",
                        "title": "Utsläpp totalt, ton",
                        "short_label": "Total a",
                        "unit": "ton",
                        "scale": "absolute",
                        "measure": "total",
                        "comparison_indicator_id": "share_a",
                        "focus_effort_ids": "K3",
                    },
                    base.to_dict()
                    | {
                        "indicator_id": "total_b",
                        "title": "Betesmark totalt, hektar",
                        "short_label": "Total b",
                        "unit": "hektar",
                        "scale": "absolute",
                        "measure": "total",
                        "comparison_indicator_id": None,
                        "focus_effort_ids": "K3",
                    },
                ]
            ),
        ],
        ignore_index=True,
    )
    return pd.concat([values, totals], ignore_index=True), catalogue


def test_a_total_is_never_set_beside_places_of_another_size(tmp_path):
    values, geographies = all_21_lan(values_frame())
    values, catalogue = with_totals(values)
    publish_small(tmp_path / "rus.duckdb", values, indicators=catalogue, geographies=geographies)
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")
    html = files.html.read_text(encoding="utf-8")
    md = files.markdown.read_text(encoding="utf-8")
    figures = files.figures_dir

    # total_a: the side-by-side charts show its per-inhabitant sibling, titled with its label.
    sibling = pd.read_csv(figures / "share_a_lan.csv")
    lan = pd.read_csv(figures / "total_a_lan.csv")
    assert list(lan.geography_name) == list(sibling.geography_name)
    assert list(lan.value) == list(sibling.value)
    svg = (figures / "total_a_lan.svg").read_text(encoding="utf-8")
    assert ">Rikets län 2022<" in svg and ">Andel a<" in svg
    assert "![Stapeldiagram över Andel a i rikets 21 län 2022" in md
    kommuner = pd.read_csv(figures / "total_a_kommuner.csv")
    assert list(kommuner.value) == list(pd.read_csv(figures / "share_a_kommuner.csv").value)
    # total_b has no sibling: no side-by-side at all, and the page says why.
    assert not (figures / "total_b_lan.svg").exists()
    assert not (figures / "total_b_kommuner.svg").exists()
    assert "En total beror på områdets storlek" in html
    # Its trend is the county's alone: Riket's tonnes would only show Sweden is bigger.
    assert set(pd.read_csv(figures / "total_a_trend.csv").serie) == {"Örebro län"}
    assert "Örebro län och riket" not in (figures / "total_a_trend.svg").read_text()

    # The status table: "–" for Riket and the place among the län; the value in plain Swedish.
    for label, unit in (("Total a", "ton"), ("Total b", "hektar")):
        row = next(r for r in md.splitlines() if r.startswith(f"| {label} ({unit}) |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[5] == "–" and cells[6] == "–", row  # Riket, Plats bland län
        assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*", cells[3]), row  # e.g. "7 020 000"
    assert not re.search(r"\d[eE][+-]?\d", md)
