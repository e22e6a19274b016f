"""The report's building blocks, written as HTML and Markdown side by side: per indicator its
statement, charts (with the figures behind them as CSV) and status-table row. No Dagster imports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS
from orchestration.reporting import charts
from orchestration.reporting.document import (
    Cell,
    Document,
    Figure,
    Heading,
    Items,
    Paragraph,
    Table,
)
from orchestration.reporting.explore import explore, explore_sentences
from orchestration.reporting.formatting import STATUS_CSS, fmt, indicator_anchor, place, slug
from orchestration.reporting.inputs import ReportInputs, current_rows
from orchestration.reporting.reasons import insufficient_reason, missing_reason
from orchestration.reporting.statements import (
    META_COLUMNS,
    indicator_meta,
    indicator_statement,
    insufficient_statement,
)

SOURCE_NAMES = {"kolada": "Kolada", "scb": "SCB"}
SEX_NAMES = {"K": "Kvinnor", "M": "Män"}
TABLE_HEAD = [
    "Indikator",
    "Status",
    "Kvinnor och män",
    "Värde",
    "Data t.o.m.",
    "Riket",
    "Plats bland län",
    "Källa",
]
CHARTS = {
    "trend": charts.trend_chart,
    "lan": charts.lan_chart,
    "kon": charts.sex_chart,
    "kommuner": charts.kommun_chart,
}
MIN_LAN_CHARTED = 10  # fewer län with a value: no side-by-side (a rank among 4 says little)
TARGET_PATH = "Målbana till"


class ReportWriter:
    """Adds the report's blocks (:mod:`.document`) per indicator: statements, charts (their SVG
    and CSV written beside the report) and status tables."""

    def __init__(self, inputs: ReportInputs, year: int, figures: Path, doc: Document) -> None:
        self.inputs, self.year, self.figures, self.doc = inputs, year, figures, doc
        self.charted: dict[str, str] = {}  # indicator → anchor of its charts
        self.n_charts = 0
        self.n_statements = 0
        self.ind = inputs.indicators.set_index("indicator_id")
        self.names = inputs.geographies.set_index("geography_code")["geography_name"]
        self.rows = current_rows(inputs.gaps, year)
        self.series = inputs.series_status.set_index(["indicator_id", "assessment_year"])
        geo = inputs.geographies
        self.lan_codes = set(geo.loc[geo["level"].eq("lan"), "geography_code"])
        self.kommun_codes = set(
            geo.loc[
                geo["lan_code"].eq(inputs.region_code) & geo["level"].eq("kommun"),
                "geography_code",
            ]
        )

    def note(self, text: str) -> None:
        self.doc.add(Paragraph(text, "note"))

    # -- one indicator ---------------------------------------------------------------------
    def row(self, indicator_id: str) -> pd.Series | None:
        return self.rows.loc[indicator_id] if indicator_id in self.rows.index else None

    def source_line(self, indicator_id: str, data_year: int | None, synthetic: bool) -> str:
        i = self.ind.loc[indicator_id]
        source = f"{SOURCE_NAMES.get(i['source'], i['source'])} {i['source_series_id']}"
        as_of = f"data t.o.m. {data_year}" if data_year else "inga data"
        flag = " · innehåller syntetiska värden" if synthetic else ""
        return f"Källa: {source} · {as_of}{flag}"

    def reason(self, indicator_id: str) -> str:
        """Why the county's indicator is "otillräckliga data" in the report year."""
        inputs = self.inputs
        row = self.row(indicator_id)
        if row is None:
            coverage = inputs.coverage[inputs.coverage["indicator_id"] == indicator_id]
            return missing_reason(coverage, inputs.region_code, inputs.region_name, self.year)
        v = inputs.values
        county = v[
            (v["indicator_id"] == indicator_id)
            & (v["geography_code"] == inputs.region_code)
            & (v["sex"] == "T")
        ].dropna(subset=["value"])
        baseline = self.ind.loc[indicator_id].get("baseline_year")
        return insufficient_reason(
            row.to_dict(), county["year"], None if pd.isna(baseline) else int(baseline)
        )

    def statement(self, indicator_id: str) -> str:
        label = str(self.ind.loc[indicator_id, "short_label"])
        row = self.row(indicator_id)
        if row is None:
            return insufficient_statement(label, self.reason(indicator_id))
        self.n_statements += 1
        reason = self.reason(indicator_id) if row["status"] == INSUFFICIENT else None
        meta = self.ind.loc[indicator_id].reindex(META_COLUMNS).dropna().to_dict()
        return indicator_statement(row.to_dict(), label, reason, meta)

    def _trend_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
        """The county and Riket, with the target path from the baseline when there is one."""
        region = self.inputs.region_code
        trend = v[(v["sex"] == "T") & v["geography_code"].isin(["0000", region])].copy()
        trend["serie"] = trend["geography_code"].map(self.names)
        trend = trend[["serie", "year", "value", "is_synthetic"]]
        r = self.row(indicator_id)
        if r is None:
            return trend
        b, t_year, level = r.get("baseline_year_used"), r.get("target_year"), r.get("target_level")
        if (
            r.get("target_type") in ("absolute", "relative")
            and pd.notna(level)
            and pd.notna(b)
            and pd.notna(r.get("baseline_value"))
        ):
            path = pd.DataFrame(
                {
                    "serie": f"{TARGET_PATH} {int(t_year)}",
                    "year": [int(b), int(t_year)],
                    "value": [float(r["baseline_value"]), float(level)],
                    "is_synthetic": False,
                }
            )
            trend = pd.concat([trend, path], ignore_index=True)
        return trend

    def _kommun_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame | None:
        """The county's kommuner (with Riket and the county) in their latest year, best first."""
        tot = v[v["sex"] == "T"]
        kommun = tot[tot["geography_code"].isin(self.kommun_codes)]
        if kommun["geography_code"].nunique() < 3:
            return None
        shown = self.kommun_codes | {"0000", self.inputs.region_code}
        latest = tot["year"] == int(kommun["year"].max())
        k = tot[latest & tot["geography_code"].isin(shown)].copy()
        k["kind"] = k["geography_code"].map(
            lambda c: "kommun" if c in self.kommun_codes else "benchmark"
        )
        k["geography_name"] = k["geography_code"].map(self.names)
        sign = int(self.ind.loc[indicator_id, "direction_sign"])
        k = k.sort_values("value", ascending=sign < 0)
        return k[["geography_name", "kind", "year", "value", "is_synthetic"]]

    def _lan_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame | None:
        """Every län in the latest year the county has a value, best first, with Riket."""
        region = self.inputs.region_code
        tot = v[v["sex"] == "T"]
        county = tot[tot["geography_code"] == region]
        if county.empty:
            return None
        year = int(county["year"].max())
        lan_codes = self.lan_codes | {"0000"}
        k = tot[(tot["year"] == year) & tot["geography_code"].isin(lan_codes)].copy()
        if (k["geography_code"] != "0000").sum() < MIN_LAN_CHARTED:
            return None
        k["kind"] = k["geography_code"].map(
            lambda c: "riket" if c == "0000" else "county" if c == region else "lan"
        )
        k["geography_name"] = k["geography_code"].map(self.names)
        sign = int(self.ind.loc[indicator_id, "direction_sign"])
        k = k.sort_values(["value", "geography_name"], ascending=[sign < 0, True])
        return k[["geography_name", "kind", "year", "value", "is_synthetic"]]

    def figure_frames(self, indicator_id: str) -> dict[str, pd.DataFrame]:
        v = self.inputs.values
        v = v[(v["indicator_id"] == indicator_id) & (v["year"] <= self.year)].dropna(
            subset=["value"]
        )
        frames: dict[str, pd.DataFrame] = {}
        trend = self._trend_frame(v, indicator_id)
        if len(trend):
            frames["trend"] = trend.sort_values(["serie", "year"])
        lan = self._lan_frame(v, indicator_id)
        if lan is not None:
            frames["lan"] = lan
        sexes = v[(v["sex"].isin(["K", "M"])) & (v["geography_code"] == self.inputs.region_code)]
        if sexes["year"].nunique() >= 2:
            sexes = sexes.assign(serie=sexes["sex"].map(SEX_NAMES))
            frames["kon"] = sexes[["serie", "year", "value", "is_synthetic"]].sort_values(
                ["serie", "year"]
            )
        kommuner = self._kommun_frame(v, indicator_id)
        if kommuner is not None:
            frames["kommuner"] = kommuner
        return frames

    def _figure(self, indicator_id: str, kind: str, frame: pd.DataFrame, title: str) -> None:
        """One chart as SVG and CSV beside the report, with its source and data-as-of year."""
        stem = f"{slug(indicator_id)}_{kind}"
        svg = CHARTS[kind](frame, title, str(self.ind.loc[indicator_id, "unit"]))
        (self.figures / f"{stem}.svg").write_text(svg, encoding="utf-8")
        frame.to_csv(self.figures / f"{stem}.csv", index=False)
        self.n_charts += 1
        series = frame.get("serie", pd.Series("", index=frame.index)).astype(str)
        observed = frame[~series.str.startswith(TARGET_PATH)]
        caption = self.source_line(
            indicator_id, int(observed["year"].max()), bool(frame["is_synthetic"].any())
        )
        self.doc.add(Figure(kind, svg, title, caption, f"{self.figures.name}/{stem}"))

    def charts_for(self, indicator_id: str) -> None:
        """The charts of one indicator (once per report; later mentions link here)."""
        title = str(self.ind.loc[indicator_id, "title"])
        anchor = indicator_anchor(indicator_id)
        self.charted[indicator_id] = anchor
        frames = self.figure_frames(indicator_id)
        with self.doc.section("indicator"):
            self.doc.add(Heading(4, title, anchor))
            with self.doc.section("charts"):
                self._figures(indicator_id, frames)

    def _figures(self, indicator_id: str, frames: dict[str, pd.DataFrame]) -> None:
        region = self.inputs.region_name
        has_path = "trend" in frames and frames["trend"]["serie"].str.startswith(TARGET_PATH).any()
        titles = {
            "trend": f"{region} och riket" + (" med målbana" if has_path else ""),
            "lan": f"Rikets län {int(frames['lan']['year'].max())}" if "lan" in frames else "",
            "kon": f"Kvinnor och män, {region}",
            "kommuner": "Länets kommuner",
        }
        for kind, frame in frames.items():
            self._figure(indicator_id, kind, frame, titles[kind])
        if not frames:
            row = self.row(indicator_id)
            data_year = int(row["assessment_year"]) if row is not None else None
            self.doc.add(Paragraph(self.source_line(indicator_id, data_year, False), "source"))

    # -- tables ------------------------------------------------------------------------------
    def _table_cells(self, indicator_id: str) -> list[Cell]:
        """One status-table row."""
        i = self.ind.loc[indicator_id]
        r = self.row(indicator_id)
        status = r["status"] if r is not None else INSUFFICIENT
        label = r["status_label"] if r is not None else STATUS_LABELS[INSUFFICIENT]
        if r is not None and bool(r.get("low_confidence")):
            label += " (osäker)"
        rank = place(r.get("rank_among_lan"), r.get("lan_ranked")) if r is not None else "–"
        synthetic = r is not None and bool(r.get("is_synthetic"))
        value = fmt(r["value"] if r is not None else None) + (" *" if synthetic else "")
        data_year = str(int(r["assessment_year"])) if r is not None else "–"
        national = fmt(r.get("national_value") if r is not None else None)
        source = f"{SOURCE_NAMES.get(i['source'], i['source'])} {i['source_series_id']}"
        title = str(i["title"])
        return [
            Cell(title, href=f"#{self.charted.get(indicator_id, '')}"),
            Cell(label, css=STATUS_CSS.get(status, "none")),
            *map(Cell, [self.across_sexes(indicator_id, r), value, data_year, national, rank]),
            Cell(source),
        ]

    def across_sexes(self, indicator_id: str, row: pd.Series | None) -> str:
        """The one status across women's and men's series (mean score), or "–" without both."""
        key = (indicator_id, int(row["assessment_year"])) if row is not None else None
        if key is None or key not in self.series.index:
            return "–"
        s = self.series.loc[key]
        if s["series"] != "K;M":
            return "–"
        return f"{s['series_label']} (poäng {fmt(float(s['series_score']), 2)})"

    def status_table(self, indicator_ids: list[str]) -> None:
        self.doc.add(Table(TABLE_HEAD, [self._table_cells(i) for i in indicator_ids], "status"))

    def lan_median(self, indicator_id: str, year: int) -> float | None:
        v = self.inputs.values
        lan = v[
            (v["indicator_id"] == indicator_id)
            & (v["year"] == year)
            & (v["sex"] == "T")
            & v["geography_code"].isin(self.lan_codes)
        ]["value"].dropna()
        return float(lan.median()) if len(lan) else None

    def explore(self, indicator_ids: list[str]) -> None:
        """Strengths and areas to explore (:mod:`.explore`) of one kraftsamling's indicators; a
        total's intensive sibling stands in for it in the comparisons with other geographies."""
        ids = list(indicator_ids)
        for i in indicator_ids:
            sibling = self.ind.loc[i].get("comparison_indicator_id")
            if isinstance(sibling, str) and sibling and sibling not in ids:
                ids.append(sibling)
        rows = [
            self.rows.loc[i].to_dict()
            | {"indicator_id": i, "direction_sign": self.ind.loc[i, "direction_sign"]}
            for i in ids
            if i in self.rows.index
        ]
        medians = {
            r["indicator_id"]: m
            for r in rows
            if (m := self.lan_median(r["indicator_id"], int(r["assessment_year"]))) is not None
        }
        labels = self.ind["short_label"].astype(str).to_dict()
        found = explore(rows, medians, indicator_meta(self.ind.reset_index()))
        lines = explore_sentences(found, labels)
        if lines:
            self.doc.add(Items(lines, "explore"))

    def statements(self, indicator_ids: list[str]) -> None:
        self.doc.add(Items([self.statement(i) for i in indicator_ids], "statements"))
