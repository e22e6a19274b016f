"""The follow-up report from a small publication: sections, statements, charts with their CSV,
and what changed since last year's edition (new data vs revised data)."""

from __future__ import annotations

import re
import shutil

import duckdb
import pandas as pd
import pytest

from orchestration.gap_method import assess_indicators
from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.report.report import (
    latest_year,
    load_inputs,
    status_changes,
    write_report,
)

KOMMUNER = ["1880", "1881", "1882"]
YEARS = range(2015, 2024)


def values_frame(revise: float | None = None) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        t = year - 2015
        for geo, base in [
            ("0000", 50.0),
            ("0018", 48.0),
            ("1880", 52.0),
            ("1881", 45.0),
            ("1882", 40.0),
        ]:
            # share_a rises 1 point a year; share_b falls 0.5 a year (lower is better).
            rows.append(("share_a", geo, year, "T", base + t, True))
            rows.append(("share_a", geo, year, "K", base + t + 2, True))
            rows.append(("share_a", geo, year, "M", base + t - 2, True))
            rows.append(("share_b", geo, year, "T", 30.0 - 0.5 * t + (geo == "1882") * 5, False))
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "geography_code", "year", "sex", "value", "is_synthetic"]
    )
    if revise is not None:
        # A revision of the county's 2021 and 2022 values of share_b upwards (worse).
        mask = (
            (frame.indicator_id == "share_b")
            & (frame.geography_code == "0018")
            & (frame.year.isin([2021, 2022]))
        )
        frame.loc[mask, "value"] = revise
    return frame


INDICATORS = pd.DataFrame(
    [
        {
            "indicator_id": "share_a",
            "source": "kolada",
            "source_series_id": "N00001",
            "title": "Andel a, %",
            "short_label": "Andel a",
            "unit": "andel (%)",
            "scale": "percent",
            "measure": "intensive",
            "comparison_indicator_id": None,
            "desired_direction": "increase",
            "direction_sign": 1,
            "target_type": "absolute",
            "target_value": 70.0,
            "target_year": 2030,
            "baseline_year": 2017,
            "has_sex_split": True,
            "geography_levels": "riket;lan;kommun",
            "natural_min": 0.0,
            "natural_max": 100.0,
            "area_ids": "A01",
            "focus_effort_ids": "K1",
            "goal_ids": "G1",
        },
        {
            "indicator_id": "share_b",
            "source": "scb",
            "source_series_id": "TAB1",
            "title": "Andel b, %",
            "short_label": "Andel b",
            "unit": "andel (%)",
            "scale": "percent",
            "measure": "intensive",
            "comparison_indicator_id": None,
            "desired_direction": "decrease",
            "direction_sign": -1,
            "target_type": "direction",
            "target_value": None,
            "target_year": 2030,
            "baseline_year": 2017,
            "has_sex_split": False,
            "geography_levels": "riket;lan;kommun",
            "natural_min": 0.0,
            "natural_max": 100.0,
            "area_ids": "A01",
            "focus_effort_ids": "K2",
            "goal_ids": "G1",
        },
    ]
)


STRATEGY = pd.DataFrame(
    {
        "strategy_id": ["rus_test"],
        "title": ["Regional utvecklingsstrategi för Örebro län 2018–2030"],
        "short_title": ["RUS 2018–2030"],
        "owner": ["Region Örebro län"],
        "owner_region_code": ["0018"],
        "period_start": [2018],
        "period_end": [2030],
        "source": ["Vägvisare till framtiden"],
    }
)


GEOGRAPHIES = pd.DataFrame(
    {
        "geography_code": ["0000", "0018", *KOMMUNER, "0020", "2080", "2081", "2062"],
        "geography_name": [
            *("Riket", "Örebro län", "Örebro", "Kumla", "Askersund"),
            *("Dalarnas län", "Falun", "Borlänge", "Mora"),
        ],
        "level": [
            "riket",
            "lan",
            "kommun",
            "kommun",
            "kommun",
            "lan",
            "kommun",
            "kommun",
            "kommun",
        ],
        "lan_code": [None, "0018", "0018", "0018", "0018", "0020", "0020", "0020", "0020"],
    }
)


REVISIONS_COLUMNS = [
    "indicator_id",
    "geography_code",
    "year",
    "sex",
    "old_value",
    "new_value",
    "is_deleted",
    "first_seen_at",
]


def revisions_of(before: pd.DataFrame, after: pd.DataFrame, seen: str) -> pd.DataFrame:
    """mart_revisions between two value frames, as first seen at ``seen``."""
    key = ["indicator_id", "geography_code", "year", "sex"]
    both = before.merge(after, on=key, suffixes=("_old", "_new"))
    changed = both[both.value_old != both.value_new]
    return pd.DataFrame(
        {
            **{k: changed[k] for k in key},
            "old_value": changed.value_old,
            "new_value": changed.value_new,
            "is_deleted": False,
            "first_seen_at": pd.Timestamp(seen),
        }
    )[REVISIONS_COLUMNS]


def publish_small(
    path,
    values: pd.DataFrame,
    publication_id: str = "P1",
    indicators=INDICATORS,
    revisions: pd.DataFrame | None = None,
    published_at: str = "2026-11-23 02:00:00",
    geographies: pd.DataFrame = GEOGRAPHIES,
    desired_state: str = "Ett starkt näringsliv.",
    guiding_questions: tuple[str, str, str] = ("Hur?", "Vad?", "När?"),
) -> None:
    """A publication of ``values`` with its gap rows: Riket, two län and their kommuner."""
    gaps = assess_indicators(
        values, indicators, geographies=geographies[["geography_code", "level", "lan_code"]]
    )
    con = duckdb.connect(str(path))
    for name, frame in {
        "dim_geography": geographies,
        "fct_indicator_value": values,
        "dim_indicator": indicators,
        "gap_indicator_annual": gaps,
        "dim_focus_effort": pd.DataFrame(
            {
                "focus_effort_id": ["K1", "K2", "K3"],
                "focus_effort_number": [1, 2, 3],
                "focus_effort_name": ["Ökad inkludering", "Starka barn och unga", "Omställning"],
                "guiding_question": list(guiding_questions),
            }
        ),
        "dim_strategy": STRATEGY,
        "mart_revisions": revisions
        if revisions is not None
        else pd.DataFrame({c: pd.Series(dtype=object) for c in REVISIONS_COLUMNS}),
        "dim_goal": pd.DataFrame({"goal_id": ["G1", "G2", "G3"], "goal_name": ["a", "b", "c"]}),
        "dim_rus_area": pd.DataFrame(
            {
                "area_id": ["A01"],
                "area_number": [1],
                "area_name": ["Näringsliv och entreprenörskap"],
                "desired_state_2030": [desired_state],
            }
        ),
    }.items():
        con.register("f", frame)
        con.execute(f"create or replace table {name} as select * from f")
        con.unregister("f")
    con.execute(
        "create or replace table publications as select ? as publication_id, "
        "cast(? as timestamp) as published_at",
        [publication_id, published_at],
    )
    con.close()


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "rus.duckdb"
    publish_small(path, values_frame())
    return path


def test_the_report_has_every_section_statement_and_chart_with_its_csv(published, tmp_path):
    inputs = load_inputs(published, "0018")
    assert latest_year(inputs.values, "0018") == 2023
    files = write_report(inputs, 2022, tmp_path / "reports")
    html = files.html.read_text(encoding="utf-8")
    md = files.markdown.read_text(encoding="utf-8")
    for name in ("Ökad inkludering", "Starka barn och unga", "Omställning"):
        assert name in html and f"### {name}" in md
    assert "Önskvärt läge 2030:" in html and "Ett starkt näringsliv." in md
    assert "Andel a" in html and "Andel b" in html
    assert "data t.o.m. 2022" in html and "Källa: Kolada N00001" in html
    assert "data t.o.m. 2030" not in html  # the target path is not data
    assert "Källa: SCB TAB1" in html
    assert "syntetiska" in html  # share_a is synthetic; the report says so
    # share_a: trend (with the target path), women/men and kommuner; share_b: no K/M values.
    charts = sorted(p.name for p in files.figures_dir.glob("*.svg"))
    assert charts == [
        "share_a_kommuner.svg",
        "share_a_kon.svg",
        "share_a_trend.svg",
        "share_b_kommuner.svg",
        "share_b_trend.svg",
    ]
    assert files.charts == 5
    trend = pd.read_csv(files.figures_dir / "share_a_trend.csv")
    assert set(trend["serie"]) == {"Riket", "Örebro län", "Målbana till 2030"}
    assert trend["year"].max() == 2030 and trend[trend.serie == "Riket"]["year"].max() == 2022
    kommuner = pd.read_csv(files.figures_dir / "share_a_kommuner.csv")
    # Best first (higher is better): Örebro 59, Kumla 52, Askersund 47 in 2022.
    assert list(kommuner[kommuner.kind == "kommun"]["geography_name"]) == [
        "Örebro",
        "Kumla",
        "Askersund",
    ]
    # The county (48 + 7 = 55 in 2022) is below Riket (57) on share_a: an area to explore.
    assert "- Att utforska: andel a (2 procentenheter lägre än riket)" in md
    # share_a has women and men: one status across both series beside the total's, as a word.
    assert ">Kvinnor och män</th>" in html and "poäng" not in html + md
    # Tables name indicators by their short label, with the unit; the full title is a tooltip.
    row_a = next(r for r in md.splitlines() if r.startswith("| Andel a (%) |"))
    row_b = next(r for r in md.splitlines() if r.startswith("| Andel b (%) |"))
    assert row_a.split(" | ")[2] in {label for label in STATUS_LABELS.values()}
    assert row_b.split(" | ")[2] == "–"
    assert 'title="Andel a, %">Andel a</a>' in html
    assert f'href="{files.figures_dir.name}/share_a_trend.csv"' in html
    assert f"]({files.figures_dir.name}/share_a_trend.svg)" in md
    assert files.edition.exists()


def test_a_status_flipped_by_revised_data_is_told_apart_from_new_data(tmp_path):
    reports = tmp_path / "reports"
    first = tmp_path / "first.duckdb"
    publish_small(first, values_frame(), "P1")
    write_report(load_inputs(first, "0018"), 2021, reports)  # the 2021 edition, as printed
    printed = pd.read_csv(reports / "editions" / "uppfoljning_2021.csv", dtype=str)
    assert printed.set_index("indicator_id").loc["share_b", "status"] != "wrong_direction"

    # The source revises share_b for 2021 and 2022 upwards (lower is better): worse.
    second = tmp_path / "second.duckdb"
    revised = values_frame(revise=40.0)
    revisions = revisions_of(values_frame(), revised, "2026-11-29 02:00:00")
    publish_small(second, revised, "P2", revisions=revisions, published_at="2026-11-30 02:00")
    inputs = load_inputs(second, "0018")
    changes = status_changes(inputs.gaps, 2022, printed, inputs.revisions).set_index("indicator_id")
    assert (
        changes.loc["share_b", "previous_status"]
        == printed.set_index("indicator_id").loc["share_b", "status"]
    )
    assert changes.loc["share_b", "cause"] == "nya data (2022) och reviderade data (2 värden)"
    files = write_report(inputs, 2022, reports)
    html = files.html.read_text(encoding="utf-8")
    assert "Förändringar sedan uppföljningen 2021" in html and "reviderade data (2" in html
    # The revised values themselves, from mart_revisions: the county's two, old → new.
    assert "2 värden för Örebro län i 1 indikator har reviderats sedan uppföljningen 2021" in html
    assert "<td>2021</td><td>totalt</td><td>27</td><td>40</td>" in html

    # Revisions seen before last year's edition was printed are not news for this one.
    old = tmp_path / "old.duckdb"
    early = revisions_of(values_frame(), revised, "2026-11-01 02:00:00")
    publish_small(old, revised, "P3", revisions=early, published_at="2026-11-30 02:00")
    again_dir = tmp_path / "again"
    (again_dir / "editions").mkdir(parents=True)
    shutil.copy(reports / "editions" / "uppfoljning_2021.csv", again_dir / "editions")
    again = write_report(load_inputs(old, "0018"), 2022, again_dir).html.read_text(encoding="utf-8")
    assert "Inga värden för Örebro län har reviderats sedan uppföljningen 2021" in again
    assert "reviderade data (" not in again


def test_a_year_outside_the_publication_is_an_error_naming_it(published, tmp_path):
    with pytest.raises(ValueError, match=r"assessment year 1999 is outside .* \(2017–2023\)"):
        write_report(load_inputs(published, "0018"), 1999, tmp_path)


def test_a_missing_publication_says_run_make_run_first(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make run` first"):
        load_inputs(tmp_path / "none.duckdb", "0018")


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


def test_a_known_series_break_is_marked_on_the_trend_and_in_the_caption(tmp_path, monkeypatch):
    from orchestration.report import series_breaks

    brk = series_breaks.SeriesBreak(
        "share_a", 2018, 2019, "källan räknar om andelen", "Källan, nyckeltalets beskrivning"
    )
    monkeypatch.setattr(series_breaks, "SERIES_BREAKS", (brk,))
    publish_small(tmp_path / "rus.duckdb", values_frame())
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")
    md = files.markdown.read_text(encoding="utf-8")
    caption = (
        "Tidsseriebrott mellan 2018 och 2019: källan räknar om andelen "
        "(källa: Källan, nyckeltalets beskrivning)."
    )
    assert md.count(caption) == 2  # the trend and the women/men chart of share_a
    for chart in ("share_a_trend", "share_a_kon"):
        assert "Tidsseriebrott" in (files.figures_dir / f"{chart}.svg").read_text()
    assert "Tidsseriebrott" not in (files.figures_dir / "share_b_trend.svg").read_text()
    assert "Tidsseriebrott" not in (files.figures_dir / "share_a_kommuner.svg").read_text()


def visible_text(html: str) -> str:
    """What a reader of the HTML sees: the text without tags, styles or attributes (the
    charts' text included)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))


def test_the_report_speaks_to_analysts_with_provenance_in_the_colophon(published, tmp_path):
    files = write_report(load_inputs(published, "0018"), 2022, tmp_path / "r")
    html = files.html.read_text(encoding="utf-8")
    md = files.markdown.read_text(encoding="utf-8")
    top, colophon = md.split("## Om uppföljningen", 1)
    for text in (visible_text(html), md):
        for word in ("RUS_", "docs/method.md", "(n)", "poäng", "_id"):
            assert word not in text, word
        assert not re.search(r"\d[eE][+-]?\d", text)
    # The publication id and time are in the colophon only, in Swedish words.
    assert "P1" not in top and "(id P1)" in colophon
    assert "23 november 2026 kl. 02.00" in colophon
    # A table of contents, and the statuses explained in plain Swedish.
    assert (
        '<nav class="toc"' in html and "[Så bedöms indikatorerna](#sa-bedoms-indikatorerna)" in md
    )
    for label in STATUS_LABELS.values():
        assert f"- **{label}**: " in md
    assert "Indikatorer och källor" in colophon and "| Andel a | Andel a, % | Kolada N00001 |" in md
    # Every chart has a description for screen readers.
    assert html.count('role="img" aria-label="Linjediagram över Andel a') == 2
