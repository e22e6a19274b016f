"""The yearly follow-up report, ``uppfoljning_<year>.html`` and ``.md``, from a publication.

Read from the published DuckDB file (what passed every check), never from the working warehouse.
Per kraftsamling and per area: the statements, a status table and charts (trend with the target
path and Riket, women and men, the region's kommuner side by side), each with its data-as-of year,
source and the figures behind it as CSV. It opens with what changed since last year's edition and
why (new data for a later year, or revised data that flips last year's status).

Each edition's statuses are kept in ``editions/uppfoljning_<year>.csv`` the first time that year
is written, so a later edition can tell revised data from new data. No Dagster imports.
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.reporting import charts
from orchestration.reporting.statements import focus_effort_summary, indicator_statement, subject

STATUS_CSS = {
    "target_met": "good",
    "target_met_worsening": "warn",
    "on_track": "good",
    "nearly_on_track": "good",
    "too_slow": "warn",
    "stagnating": "warn",
    "wrong_direction": "bad",
    "insufficient_data": "none",
}
SOURCE_NAMES = {"kolada": "Kolada", "scb": "SCB"}
SEX_NAMES = {"K": "Kvinnor", "M": "Män"}
LATEST_YEAR_COVERAGE = 0.7


@dataclass(frozen=True)
class ReportInputs:
    region_code: str
    region_name: str
    publication_id: str
    published_at: str
    gaps: pd.DataFrame  # gap_indicator_annual for the county, sex T
    values: pd.DataFrame  # fct_indicator_value for Riket, the county and its kommuner
    indicators: pd.DataFrame
    focus_efforts: pd.DataFrame
    areas: pd.DataFrame
    geographies: pd.DataFrame


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    markdown: Path
    figures_dir: Path
    edition: Path
    year: int
    charts: int
    statements: int
    changes: int
    publication_id: str


def load_inputs(published: Path, region_code: str) -> ReportInputs:
    """Everything the report needs from the published DuckDB file."""
    if not published.is_file():
        raise FileNotFoundError(
            f"{published} does not exist; expected a published DuckDB file (run `make run` first)"
        )
    con = duckdb.connect(str(published), read_only=True)
    try:
        geographies = con.execute("select * from dim_geography").df()
        county = geographies[geographies["geography_code"] == region_code]
        if county.empty or county.iloc[0]["level"] != "lan":
            raise ValueError(f"region {region_code!r} is not a län in dim_geography")
        codes = [
            "0000",
            region_code,
            *geographies.loc[geographies["lan_code"].eq(region_code), "geography_code"],
        ]
        codes = sorted(set(codes))
        placeholders = ", ".join("?" for _ in codes)
        values = con.execute(
            "select indicator_id, geography_code, year, sex, value, is_synthetic "
            f"from fct_indicator_value where geography_code in ({placeholders})",
            codes,
        ).df()
        gaps = con.execute(
            "select * from gap_indicator_annual where geography_code = ? and sex = 'T'",
            [region_code],
        ).df()
        publication_id, published_at = con.execute(
            "select publication_id, published_at::varchar from publications"
        ).fetchone()
        return ReportInputs(
            region_code=region_code,
            region_name=str(county.iloc[0]["geography_name"]),
            publication_id=publication_id,
            published_at=published_at,
            gaps=gaps,
            values=values,
            indicators=con.execute("select * from dim_indicator").df(),
            focus_efforts=con.execute(
                "select * from dim_focus_effort order by focus_effort_number"
            ).df(),
            areas=con.execute("select * from dim_rus_area order by area_number").df(),
            geographies=geographies,
        )
    finally:
        con.close()


def latest_year(values: pd.DataFrame, region_code: str) -> int:
    """The latest year in which at least 70 % as many indicators have a county value as in the
    best-covered year (later years hold only the first few early releases)."""
    county = values[(values["geography_code"] == region_code) & (values["sex"] == "T")]
    per_year = county.dropna(subset=["value"]).groupby("year")["indicator_id"].nunique()
    if per_year.empty:
        raise ValueError(f"no values for region {region_code} in the publication")
    return int(per_year[per_year >= LATEST_YEAR_COVERAGE * per_year.max()].index.max())


def current_rows(gaps: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per indicator, the newest assessment up to ``year`` (its data-as-of year)."""
    upto = gaps[gaps["assessment_year"] <= year]
    idx = upto.groupby("indicator_id")["assessment_year"].idxmax()
    return upto.loc[idx].set_index("indicator_id")


def status_changes(
    gaps: pd.DataFrame, year: int, previous_edition: pd.DataFrame | None
) -> pd.DataFrame:
    """Indicators whose status differs from last year's edition, and why.

    Last year's status is the stored edition's when there is one (else recomputed with today's
    data). Causes: ``nya data`` (a value for a later year arrived) and ``reviderade data``
    (today's data give last year's assessment a different status than the edition printed).
    """
    now, before = current_rows(gaps, year), current_rows(gaps, year - 1)
    stored = (
        previous_edition.set_index("indicator_id")["status"]
        if previous_edition is not None
        else pd.Series(dtype=object)
    )
    out = []
    for indicator_id, row in now.iterrows():
        recomputed = before["status"].get(indicator_id)
        printed = stored.get(indicator_id, recomputed)
        if printed is None or (isinstance(printed, float) and math.isnan(printed)):
            printed = "insufficient_data"
        if printed == row["status"]:
            continue
        causes = []
        data_year_before = before["assessment_year"].get(indicator_id)
        if data_year_before is None or data_year_before < row["assessment_year"]:
            causes.append(f"nya data ({int(row['assessment_year'])})")
        if recomputed is not None and printed != recomputed:
            causes.append("reviderade data")
        out.append(
            {
                "indicator_id": indicator_id,
                "previous_status": printed,
                "status": row["status"],
                "cause": " och ".join(causes) or "ändrad bedömning",
            }
        )
    return pd.DataFrame(out, columns=["indicator_id", "previous_status", "status", "cause"])


def _fmt(v: Any, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}g}".replace(".", ",")
    return str(v)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-")


class _Writer:
    """Accumulates the HTML and Markdown bodies side by side."""

    def __init__(self, inputs: ReportInputs, year: int, figures: Path) -> None:
        self.inputs, self.year, self.figures = inputs, year, figures
        self.html: list[str] = []
        self.md: list[str] = []
        self.charted: dict[str, str] = {}  # indicator → anchor of its charts
        self.n_charts = 0
        self.n_statements = 0
        self.ind = inputs.indicators.set_index("indicator_id")
        self.names = inputs.geographies.set_index("geography_code")["geography_name"]
        self.rows = current_rows(inputs.gaps, year)
        geo = inputs.geographies
        self.kommun_codes = set(
            geo.loc[
                geo["lan_code"].eq(inputs.region_code) & geo["level"].eq("kommun"),
                "geography_code",
            ]
        )

    def both(self, html_text: str, md_text: str) -> None:
        self.html.append(html_text)
        self.md.append(md_text)

    # -- one indicator ---------------------------------------------------------------------
    def source_line(self, indicator_id: str, data_year: int | None, synthetic: bool) -> str:
        i = self.ind.loc[indicator_id]
        source = f"{SOURCE_NAMES.get(i['source'], i['source'])} {i['source_series_id']}"
        as_of = f"data t.o.m. {data_year}" if data_year else "inga data"
        flag = " · innehåller syntetiska värden" if synthetic else ""
        return f"Källa: {source} · {as_of}{flag}"

    def statement(self, indicator_id: str) -> tuple[str, pd.Series | None]:
        title = str(self.ind.loc[indicator_id, "title"])
        if indicator_id not in self.rows.index:
            return f"{subject(title)}: inga värden för länet t.o.m. {self.year}.", None
        row = self.rows.loc[indicator_id]
        self.n_statements += 1
        return indicator_statement(row.to_dict(), title), row

    def figure_frames(self, indicator_id: str) -> dict[str, pd.DataFrame]:
        v = self.inputs.values
        v = v[(v["indicator_id"] == indicator_id) & (v["year"] <= self.year)].dropna(
            subset=["value"]
        )
        region = self.inputs.region_code
        frames: dict[str, pd.DataFrame] = {}
        trend = v[(v["sex"] == "T") & v["geography_code"].isin(["0000", region])].copy()
        trend["serie"] = trend["geography_code"].map(self.names)
        trend = trend[["serie", "year", "value", "is_synthetic"]]
        if indicator_id in self.rows.index:
            r = self.rows.loc[indicator_id]
            b, t_year = r.get("baseline_year_used"), r.get("target_year")
            level = r.get("target_level")
            if (
                r.get("target_type") in ("absolute", "relative")
                and pd.notna(level)
                and pd.notna(b)
                and pd.notna(r.get("baseline_value"))
            ):
                path = pd.DataFrame(
                    {
                        "serie": f"Målbana till {int(t_year)}",
                        "year": [int(b), int(t_year)],
                        "value": [float(r["baseline_value"]), float(level)],
                        "is_synthetic": False,
                    }
                )
                trend = pd.concat([trend, path], ignore_index=True)
        if len(trend):
            frames["trend"] = trend.sort_values(["serie", "year"])
        sexes = v[(v["sex"].isin(["K", "M"])) & (v["geography_code"] == region)].copy()
        if sexes["year"].nunique() >= 2:
            sexes["serie"] = sexes["sex"].map(SEX_NAMES)
            frames["kon"] = sexes[["serie", "year", "value", "is_synthetic"]].sort_values(
                ["serie", "year"]
            )
        kommun_codes = self.kommun_codes
        tot = v[v["sex"] == "T"]
        kommun = tot[tot["geography_code"].isin(kommun_codes)]
        if kommun["geography_code"].nunique() >= 3:
            last = int(kommun["year"].max())
            k = tot[(tot["year"] == last)].copy()
            k["kind"] = k["geography_code"].map(
                lambda c: "kommun" if c in kommun_codes else "benchmark"
            )
            k["geography_name"] = k["geography_code"].map(self.names)
            sign = int(self.ind.loc[indicator_id, "direction_sign"])
            k = k.sort_values("value", ascending=sign < 0)
            frames["kommuner"] = k[["geography_name", "kind", "year", "value", "is_synthetic"]]
        return frames

    def charts_for(self, indicator_id: str) -> None:
        """The charts of one indicator (once per report; later mentions link here)."""
        i = self.ind.loc[indicator_id]
        anchor = f"ind-{_slug(indicator_id)}"
        self.charted[indicator_id] = anchor
        unit = str(i["unit"])
        frames = self.figure_frames(indicator_id)
        row = self.rows.loc[indicator_id] if indicator_id in self.rows.index else None
        data_year = int(row["assessment_year"]) if row is not None else None
        self.both(
            f'<section class="indicator" id="{anchor}"><h4>{html.escape(str(i["title"]))}</h4>',
            f'<a id="{anchor}"></a>\n\n#### {i["title"]}\n',
        )
        has_path = "trend" in frames and frames["trend"]["serie"].str.startswith("Målbana").any()
        titles = {
            "trend": f"{self.inputs.region_name} och riket" + (" med målbana" if has_path else ""),
            "kon": f"Kvinnor och män, {self.inputs.region_name}",
            "kommuner": "Länets kommuner",
        }
        draw = {
            "trend": charts.trend_chart,
            "kon": charts.sex_chart,
            "kommuner": charts.kommun_chart,
        }
        self.html.append('<div class="charts">')
        for kind, frame in frames.items():
            stem = f"{_slug(indicator_id)}_{kind}"
            svg = draw[kind](frame, titles[kind], unit)
            (self.figures / f"{stem}.svg").write_text(svg, encoding="utf-8")
            frame.to_csv(self.figures / f"{stem}.csv", index=False)
            self.n_charts += 1
            synthetic = bool(frame["is_synthetic"].any())
            observed = frame[
                ~frame.get("serie", pd.Series("", index=frame.index))
                .astype(str)
                .str.startswith("Målbana")
            ]
            year_shown = int(observed["year"].max())
            caption = self.source_line(indicator_id, year_shown, synthetic)
            rel = f"{self.figures.name}/{stem}"
            self.both(
                f'<figure data-chart="{kind}">{svg}<figcaption>{html.escape(caption)} · '
                f'<a href="{rel}.csv">siffrorna (CSV)</a></figcaption></figure>',
                f"![{titles[kind]}]({rel}.svg)\n\n*{caption} · [siffrorna (CSV)]({rel}.csv)*\n",
            )
        if not frames:
            self.both(
                f"<p>{html.escape(self.source_line(indicator_id, data_year, False))}</p>",
                f"*{self.source_line(indicator_id, data_year, False)}*\n",
            )
        self.both("</div></section>", "")

    # -- tables ------------------------------------------------------------------------------
    def status_table(self, indicator_ids: list[str]) -> None:
        head = ["Indikator", "Status", "Värde", "Data t.o.m.", "Riket", "Plats bland län", "Källa"]
        html_rows, md_rows = [], []
        for indicator_id in indicator_ids:
            i = self.ind.loc[indicator_id]
            r = self.rows.loc[indicator_id] if indicator_id in self.rows.index else None
            status = r["status"] if r is not None else "insufficient_data"
            label = r["status_label"] if r is not None else "otillräckliga data"
            if r is not None and bool(r.get("low_confidence")):
                label += " (osäker)"
            rank = (
                f"{int(r['rank_among_lan'])} av {int(r['lan_ranked'])}"
                if r is not None and pd.notna(r.get("rank_among_lan"))
                else "–"
            )
            synthetic = r is not None and bool(r.get("is_synthetic"))
            cells = [
                f'<a href="#{self.charted.get(indicator_id, "")}">'
                f"{html.escape(str(i['title']))}</a>",
                f'<span class="status {STATUS_CSS.get(status, "none")}">'
                f"{html.escape(label)}</span>",
                _fmt(r["value"] if r is not None else None) + (" *" if synthetic else ""),
                str(int(r["assessment_year"])) if r is not None else "–",
                _fmt(r.get("national_value") if r is not None else None),
                rank,
                f"{SOURCE_NAMES.get(i['source'], i['source'])} {i['source_series_id']}",
            ]
            html_rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
            md_cells = [
                str(i["title"]).replace("|", "/"),
                label,
                cells[2],
                cells[3],
                cells[4],
                rank,
                cells[6],
            ]
            md_rows.append("| " + " | ".join(md_cells) + " |")
        self.both(
            '<table class="status"><thead><tr>'
            + "".join(f"<th>{h}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(html_rows)
            + "</tbody></table>",
            "| "
            + " | ".join(head)
            + " |\n|"
            + "---|" * len(head)
            + "\n"
            + "\n".join(md_rows)
            + "\n",
        )

    def statements(self, indicator_ids: list[str]) -> None:
        items_html, items_md = [], []
        for indicator_id in indicator_ids:
            text, _ = self.statement(indicator_id)
            items_html.append(f"<li>{html.escape(text)}</li>")
            items_md.append(f"- {text}")
        self.both(f'<ul class="statements">{"".join(items_html)}</ul>', "\n".join(items_md) + "\n")


def _linked(indicators: pd.DataFrame, column: str, group_id: str) -> list[str]:
    ids = indicators[indicators[column].fillna("").str.split(";").map(lambda xs: group_id in xs)][
        "indicator_id"
    ]
    return sorted(ids)


CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{color:#00566b}h2{border-bottom:2px solid #00566b;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:.9em;margin:1em 0}
td,th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.status{padding:.1em .4em;border-radius:3px;white-space:nowrap}
.good{background:#d4efdf}.warn{background:#fcf3cf}.bad{background:#f5b7b1}.none{background:#eee}
.charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;max-width:500px}figcaption{font-size:.8em;color:#555}
.note{background:#fef9e7;border-left:4px solid #f1c40f;padding:.5em 1em}
.summary{font-size:1.05em}
"""


def write_report(inputs: ReportInputs, year: int, out_dir: Path) -> ReportFiles:
    """Write ``uppfoljning_<year>.html``/``.md`` and the figures into ``out_dir`` (via a temp
    directory and renames, so a reader never sees half a report)."""
    years = sorted(inputs.gaps["assessment_year"].unique())
    if not years or year < years[0] or year > years[-1]:
        raise ValueError(
            f"assessment year {year} is outside the publication's gap rows "
            f"({years[0] if years else '–'}–{years[-1] if years else '–'})"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"uppfoljning_{year}"
    work = out_dir / f".{stem}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    figures = work / stem
    figures.mkdir(parents=True)
    w = _Writer(inputs, year, figures)
    editions = out_dir / "editions"
    previous_path = editions / f"uppfoljning_{year - 1}.csv"
    previous = pd.read_csv(previous_path, dtype=str) if previous_path.exists() else None
    changes = status_changes(inputs.gaps, year, previous)

    title = f"Uppföljning av RUS 2018–2030: {inputs.region_name} {year}"
    synthetic_share = float(w.rows["is_synthetic"].mean()) if len(w.rows) else 0.0
    w.both(
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body><h1>{title}</h1>"
        f"<p>Publicering {html.escape(inputs.publication_id)} ({inputs.published_at}). Status per "
        "indikator enligt metoden i DESIGN §5 (Open SDG / SCB Kanada-metoden för takt mot mål). "
        "Varje diagram anger källa och till vilket år data finns; siffrorna bakom varje diagram "
        "finns som CSV.</p>",
        f"# {title}\n\nPublicering {inputs.publication_id} ({inputs.published_at}). Varje diagram "
        "anger källa och till vilket år data finns; siffrorna bakom varje diagram finns som CSV.\n",
    )
    if synthetic_share > 0:
        note = (
            f"{synthetic_share:.0%} av länets bedömningar bygger helt eller delvis på syntetiska "
            "värden (markerade med *): exempeldata där inga verkliga siffror fanns i "
            "ögonblicksbilden. De är inte officiell statistik."
        )
        w.both(f'<p class="note">{html.escape(note)}</p>', f"> {note}\n")

    # What changed since last year's edition.
    w.both(
        f'<h2 id="forandringar">Förändringar sedan uppföljningen {year - 1}</h2>',
        f"## Förändringar sedan uppföljningen {year - 1}\n",
    )
    if previous is None:
        note = (
            f"Ingen sparad utgåva för {year - 1}: jämförelsen görs mot {year - 1} års bedömning "
            "beräknad med dagens data."
        )
        w.both(f"<p>{html.escape(note)}</p>", f"{note}\n")
    if changes.empty:
        w.both("<p>Inga statusar har ändrats.</p>", "Inga statusar har ändrats.\n")
    else:
        rows_html = "".join(
            f"<tr><td>{html.escape(str(w.ind.loc[c.indicator_id, 'title']))}</td>"
            f"<td>{STATUS_LABELS.get(c.previous_status, c.previous_status)}</td>"
            f"<td>{STATUS_LABELS.get(c.status, c.status)}</td><td>{c.cause}</td></tr>"
            for c in changes.itertuples()
        )
        rows_md = "\n".join(
            f"| {w.ind.loc[c.indicator_id, 'title']} | "
            f"{STATUS_LABELS.get(c.previous_status, c.previous_status)} | "
            f"{STATUS_LABELS.get(c.status, c.status)} | {c.cause} |"
            for c in changes.itertuples()
        )
        w.both(
            '<table class="changes"><thead><tr><th>Indikator</th><th>Förra året</th>'
            f"<th>Nu</th><th>Orsak</th></tr></thead><tbody>{rows_html}</tbody></table>",
            f"| Indikator | Förra året | Nu | Orsak |\n|---|---|---|---|\n{rows_md}\n",
        )

    titles = inputs.indicators.set_index("indicator_id")["title"].astype(str).to_dict()
    w.both('<h2 id="kraftsamlingar">Kraftsamlingar</h2>', "## Kraftsamlingar\n")
    for fe in inputs.focus_efforts.itertuples():
        ids = _linked(inputs.indicators, "focus_effort_ids", fe.focus_effort_id)
        summary = focus_effort_summary(
            fe.focus_effort_name,
            [w.rows.loc[i].to_dict() | {"indicator_id": i} for i in ids if i in w.rows.index],
            titles,
            year,
        )
        w.both(
            f'<section class="focus-effort" id="{fe.focus_effort_id}">'
            f"<h3>{html.escape(fe.focus_effort_name)}</h3>"
            f"<p><em>{html.escape(fe.guiding_question)}</em></p>"
            f'<p class="summary">{html.escape(summary)}</p>',
            f"### {fe.focus_effort_name}\n\n*{fe.guiding_question}*\n\n{summary}\n",
        )
        w.statements(ids)
        for indicator_id in ids:
            if indicator_id not in w.charted:
                w.charts_for(indicator_id)
        w.status_table(ids)
        w.both("</section>", "")

    w.both('<h2 id="omraden">Prioriterade områden</h2>', "## Prioriterade områden\n")
    for area in inputs.areas.itertuples():
        ids = _linked(inputs.indicators, "area_ids", area.area_id)
        w.both(
            f'<section class="area" id="{area.area_id}"><h3>{area.area_number}. '
            f"{html.escape(area.area_name)}</h3><p><strong>Önskvärt läge 2030:</strong> "
            f"{html.escape(str(area.desired_state_2030))}</p>",
            f"### {area.area_number}. {area.area_name}\n\n**Önskvärt läge 2030:** "
            f"{area.desired_state_2030}\n",
        )
        w.statements(ids)
        w.status_table(ids)
        for indicator_id in ids:
            if indicator_id not in w.charted:
                w.charts_for(indicator_id)
        w.both("</section>", "")
    w.both("</body></html>", "")

    (work / f"{stem}.html").write_text("\n".join(w.html), encoding="utf-8")
    (work / f"{stem}.md").write_text("\n".join(w.md), encoding="utf-8")
    # Swap in: figures directory first, then the two documents (each an atomic rename).
    final_figures = out_dir / stem
    old = out_dir / f".{stem}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final_figures.exists():
        os.rename(final_figures, old)
    os.rename(figures, final_figures)
    for suffix in (".html", ".md"):
        os.replace(work / f"{stem}{suffix}", out_dir / f"{stem}{suffix}")
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)

    editions.mkdir(exist_ok=True)
    edition = editions / f"{stem}.csv"
    if not edition.exists():  # an edition is kept as first printed
        frame = w.rows.reset_index()[["indicator_id", "status", "assessment_year"]].assign(
            publication_id=inputs.publication_id
        )
        frame.to_csv(edition, index=False)
    return ReportFiles(
        html=out_dir / f"{stem}.html",
        markdown=out_dir / f"{stem}.md",
        figures_dir=final_figures,
        edition=edition,
        year=year,
        charts=w.n_charts,
        statements=w.n_statements,
        changes=len(changes),
        publication_id=inputs.publication_id,
    )


def report_from_publication(
    published: Path, region_code: str, out_dir: Path, year: int | None = None
) -> ReportFiles:
    """The report for ``year`` (default: :func:`latest_year`) from a published DuckDB file."""
    inputs = load_inputs(published, region_code)
    return write_report(inputs, year or latest_year(inputs.values, region_code), out_dir)
