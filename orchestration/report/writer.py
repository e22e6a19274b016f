"""The report's building blocks, written as HTML and Markdown side by side: per indicator its
statement, charts (with the figures behind them as CSV) and status-table row. No Dagster imports.

A *total* (the catalogue's ``measure`` = total: tonnes, hectares, inhabitants, mnkr) depends on
the size of the place, so it is never set beside other places: no side-by-side chart of the län
or of the kommuner, no Riket line in its trend and "–" for Riket and the place among the län in
the status table. When the catalogue names its per-inhabitant sibling
(``comparison_indicator_id``), the side-by-side charts show the sibling instead, titled with the
sibling's short label.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS, status_tone
from orchestration.gap_method.numbers import fmt, short_unit
from orchestration.gap_method.reasons import insufficient_reason, missing_reason
from orchestration.gap_method.statements import (
    META_COLUMNS,
    indicator_meta,
    indicator_statement,
    insufficient_statement,
)
from orchestration.report import charts
from orchestration.report.document import (
    Cell,
    Document,
    Figure,
    Heading,
    Items,
    Paragraph,
    Table,
)
from orchestration.report.explore import explore, explore_sentences
from orchestration.report.figures import TARGET_PATH, ChartData
from orchestration.report.formatting import (
    indicator_anchor,
    place,
    slug,
    source_label,
)
from orchestration.report.inputs import ReportInputs
from orchestration.report.series_breaks import breaks_for

# The county's status table: short headings, each explained in its tooltip.
TABLE_HEAD = [
    "Indikator",
    "Status",
    "Kvinnor och män",
    "Värde",
    "År",
    "Riket",
    "Plats bland län",
]
TABLE_HEAD_TITLES = [
    "Indikatorns korta namn; hela namnet i källan visas när markören vilar på det",
    "Länets status för indikatorn, kvinnor och män tillsammans",
    "En samlad status för kvinnors och mäns serier",
    "Länets senaste värde",
    "Senaste år med data",
    "Rikets värde samma år",
    "Länets plats bland rikets län (1 = bäst)",
]
CHARTS = {
    "trend": charts.trend_chart,
    "lan": charts.lan_chart,
    "kon": charts.sex_chart,
    "kommuner": charts.kommun_chart,
}


def status_cell(row: pd.Series | None, note: str | None = None) -> Cell:
    """The status word of a gap row as a badge ("(osäker)" when it rests on 2–3 values);
    "otillräckliga data" without a row."""
    status = row["status"] if row is not None else INSUFFICIENT
    label = row["status_label"] if row is not None else STATUS_LABELS[INSUFFICIENT]
    if row is not None and bool(row.get("low_confidence")):
        label += " (osäker)"
    return Cell(label, css=status_tone(status), note=note)


class ReportWriter(ChartData):
    """Adds the report's blocks (:mod:`.document`) per indicator: statements, charts (their SVG
    and CSV written beside the report) and status tables."""

    def __init__(self, inputs: ReportInputs, year: int, figures: Path, doc: Document) -> None:
        super().__init__(inputs, year)
        self.figures, self.doc = figures, doc
        self.charted: dict[str, str] = {}  # indicator → anchor of its charts
        self.n_charts = 0
        self.n_statements = 0
        self.series = inputs.series_status.set_index(["indicator_id", "assessment_year"])

    def note(self, text: str) -> None:
        self.doc.add(Paragraph(text, "note"))

    # -- one indicator ---------------------------------------------------------------------
    def source_line(self, indicator_id: str, data_year: int | None, synthetic: bool) -> str:
        i = self.ind.loc[indicator_id]
        source = source_label(i["source"], i["source_series_id"])
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

    def _figure(
        self,
        indicator_id: str,
        kind: str,
        frame: pd.DataFrame,
        title: str | list[str],
        measured_id: str,
    ) -> None:
        """One chart as SVG and CSV beside the report, with its source, data-as-of year, known
        series breaks and a description."""
        stem = f"{slug(indicator_id)}_{kind}"
        unit = self.unit(measured_id)
        series = frame.get("serie", pd.Series("", index=frame.index)).astype(str)
        observed = frame[~series.str.startswith(TARGET_PATH)]
        breaks = breaks_for(measured_id, observed["year"]) if kind in ("trend", "kon") else []
        if kind in ("trend", "kon"):
            svg = CHARTS[kind](frame, title, unit, breaks)
        else:
            svg = CHARTS[kind](frame, title, unit)
        (self.figures / f"{stem}.svg").write_text(svg, encoding="utf-8")
        frame.to_csv(self.figures / f"{stem}.csv", index=False)
        self.n_charts += 1
        caption = self.source_line(
            measured_id, int(observed["year"].max()), bool(frame["is_synthetic"].any())
        )
        caption = " ".join([caption + ".", *(b.caption for b in breaks)])
        heading = title if isinstance(title, str) else ": ".join(title)
        alt = self._alt(kind, frame, measured_id)
        self.doc.add(Figure(kind, svg, heading, caption, f"{self.figures.name}/{stem}", alt))

    def charts_for(self, indicator_id: str) -> None:
        """The charts of one indicator (once per report; later mentions link here), under its
        short label with the source's full title."""
        anchor = indicator_anchor(indicator_id)
        self.charted[indicator_id] = anchor
        frames = self.figure_frames(indicator_id)
        with self.doc.section("indicator"):
            self.doc.add(
                Heading(4, self.label(indicator_id), anchor),
                Paragraph(f"{self.ind.loc[indicator_id, 'title']}", "full-title"),
            )
            with self.doc.section("charts"):
                self._figures(indicator_id, frames)
            for note in self._chart_notes(indicator_id):
                self.doc.add(Paragraph(note, "chart-note"))

    def _chart_notes(self, indicator_id: str) -> list[str]:
        """Why a chart a reader might look for is not there."""
        if self.is_total(indicator_id) and self.side_by_side_id(indicator_id) is None:
            return [
                "En total beror på områdets storlek och jämförs därför inte med andra län eller "
                "kommuner."
            ]
        return []

    def _figures(self, indicator_id: str, frames: dict[str, pd.DataFrame]) -> None:
        region = self.inputs.region_name
        has_path = "trend" in frames and frames["trend"]["serie"].str.startswith(TARGET_PATH).any()
        side = self.side_by_side_id(indicator_id) or indicator_id
        sibling = [self.label(side)] if side != indicator_id else []

        def year_of(kind: str) -> int:
            return int(frames[kind]["year"].max()) if kind in frames else self.year

        trend_title = region if self.is_total(indicator_id) else f"{region} och riket"
        if "trend" in frames and not frames["trend"]["serie"].eq(region).any():
            trend_title = f"Riket (inga värden för {region})"
        titles: dict[str, str | list[str]] = {
            "trend": trend_title + (" med målbana" if has_path else ""),
            "lan": [f"Rikets län {year_of('lan')}", *sibling],
            "kon": f"Kvinnor och män, {region}",
            "kommuner": [f"Länets kommuner {year_of('kommuner')}", *sibling],
        }
        for kind, frame in frames.items():
            title = titles[kind]
            if isinstance(title, list) and len(title) == 1:
                title = title[0]
            measured = side if kind in ("lan", "kommuner") else indicator_id
            self._figure(indicator_id, kind, frame, title, measured)
        if not frames:
            row = self.row(indicator_id)
            data_year = int(row["assessment_year"]) if row is not None else None
            self.doc.add(Paragraph(self.source_line(indicator_id, data_year, False), "source"))

    # -- tables ------------------------------------------------------------------------------
    def _table_cells(self, indicator_id: str) -> list[Cell]:
        """One status-table row: the short label (the source's title as its tooltip, the unit
        below), the status word, and figures in plain Swedish; "–" where a total would be set
        beside places of another size."""
        i = self.ind.loc[indicator_id]
        r = self.row(indicator_id)
        total = self.is_total(indicator_id)
        rank = (
            place(r.get("rank_among_lan"), r.get("lan_ranked"))
            if r is not None and not total
            else "–"
        )
        synthetic = r is not None and bool(r.get("is_synthetic"))
        value = fmt(r["value"] if r is not None else None) + (" *" if synthetic else "")
        data_year = str(int(r["assessment_year"])) if r is not None else "–"
        national = fmt(r.get("national_value") if r is not None and not total else None)
        return [
            Cell(
                self.label(indicator_id),
                href=f"#{self.charted.get(indicator_id, indicator_anchor(indicator_id))}",
                title=str(i["title"]),
                note=short_unit(str(i["unit"])),
            ),
            status_cell(r),
            *map(Cell, [self.across_sexes(indicator_id, r), value, data_year, national, rank]),
        ]

    def across_sexes(self, indicator_id: str, row: pd.Series | None) -> str:
        """The one status across women's and men's series, or "–" without both."""
        key = (indicator_id, int(row["assessment_year"])) if row is not None else None
        if key is None or key not in self.series.index:
            return "–"
        s = self.series.loc[key]
        if s["series"] != "K;M":
            return "–"
        return str(s["series_label"])

    def status_table(self, indicator_ids: list[str]) -> None:
        self.doc.add(
            Table(
                TABLE_HEAD,
                [self._table_cells(i) for i in indicator_ids],
                "status",
                head_titles=TABLE_HEAD_TITLES,
            )
        )

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
