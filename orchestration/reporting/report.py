"""The yearly follow-up report, ``uppfoljning_<year>.html`` and ``.md``, from a publication.

Read from the published DuckDB file (what passed every check), never from the working warehouse
(:mod:`.inputs`). It opens with the strategy whose structure it follows and how much of the
county's assessments rest on real values only (:mod:`.overview`), then what changed since last
year's edition and why (new data for a later year, or revised data that flips last year's
status). Per kraftsamling and per area: the statements, a status table and charts (trend with
the target path and Riket, women and men, the region's kommuner side by side), each with its
data-as-of year, source and the figures behind it as CSV (:mod:`.writer`).

Each edition's statuses are kept in ``editions/uppfoljning_<year>.csv`` the first time that year
is written, so a later edition can tell revised data from new data. No Dagster imports.
"""

from __future__ import annotations

import html
import math
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS
from orchestration.reporting.inputs import ReportInputs, current_rows, latest_year, load_inputs
from orchestration.reporting.kommun import KommunPage, KommunPageBuilder
from orchestration.reporting.overview import (
    RealValueShare,
    real_value_note,
    real_value_share,
    report_title,
    structure_sentence,
    summary_line,
)
from orchestration.reporting.render import render
from orchestration.reporting.revisions import printed_at, revised_since, revisions_section
from orchestration.reporting.statements import focus_effort_summary
from orchestration.reporting.writer import ReportWriter

__all__ = [
    "ReportFiles",
    "latest_year",
    "load_inputs",
    "report_from_publication",
    "status_changes",
    "write_report",
]


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    markdown: Path
    figures_dir: Path
    edition: Path
    year: int
    charts: int
    kommun_pages: int
    statements: int
    changes: int
    publication_id: str
    region_name: str
    real_values: RealValueShare

    @property
    def summary(self) -> str:
        """The line `make run` and `make report` print: the report's real-value figure."""
        return summary_line(self.region_name, self.real_values, self.html)


def status_changes(
    gaps: pd.DataFrame,
    year: int,
    previous_edition: pd.DataFrame | None,
    revised: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators whose status differs from last year's edition, and why.

    Last year's status is the stored edition's when there is one (else recomputed with today's
    data). Causes: ``nya data`` (a value for a later year arrived) and ``reviderade data``
    (``revised``, from ``mart_revisions``, has the county's values of the indicator revised
    since that edition); neither: ``ändrad bedömning`` (e.g. a new target or method version).
    """
    revised_counts = (
        revised["indicator_id"].value_counts() if revised is not None else pd.Series(dtype=int)
    )
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
            printed = INSUFFICIENT
        if printed == row["status"]:
            continue
        causes = []
        data_year_before = before["assessment_year"].get(indicator_id)
        if data_year_before is None or data_year_before < row["assessment_year"]:
            causes.append(f"nya data ({int(row['assessment_year'])})")
        if indicator_id in revised_counts.index:
            n = int(revised_counts[indicator_id])
            causes.append(f"reviderade data ({n} {'värde' if n == 1 else 'värden'})")
        out.append(
            {
                "indicator_id": indicator_id,
                "previous_status": printed,
                "status": row["status"],
                "cause": " och ".join(causes) or "ändrad bedömning",
            }
        )
    return pd.DataFrame(out, columns=["indicator_id", "previous_status", "status", "cause"])


def _linked(indicators: pd.DataFrame, column: str, group_id: str) -> list[str]:
    ids = indicators[indicators[column].fillna("").str.split(";").map(lambda xs: group_id in xs)][
        "indicator_id"
    ]
    return sorted(ids)


CSS = (resources.files("orchestration.reporting") / "templates" / "report.css").read_text("utf-8")


def _opening(w: ReportWriter, share: RealValueShare) -> None:
    """Title, publication, the strategy structure followed, and the real-value note."""
    inputs, year = w.inputs, w.year
    title = html.escape(report_title(inputs.strategy, inputs.region_name, year))
    counts = {
        "goals": len(inputs.goals),
        "areas": len(inputs.areas),
        "focus_efforts": len(inputs.focus_efforts),
    }
    structure = structure_sentence(inputs.strategy, counts, inputs.region_code, inputs.region_name)
    w.both(
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body><h1>{title}</h1>"
        f'<p class="strategy">{html.escape(structure)}</p>'
        f"<p>Publicering {html.escape(inputs.publication_id)} ({inputs.published_at}). Status per "
        "indikator enligt metoden i docs/method.md (Open SDG / SCB Kanada-metoden för takt mot "
        "mål). "
        "Varje diagram anger källa och till vilket år data finns; siffrorna bakom varje diagram "
        "finns som CSV.</p>",
        f"# {report_title(inputs.strategy, inputs.region_name, year)}\n\n{structure}\n\n"
        f"Publicering {inputs.publication_id} ({inputs.published_at}). Varje diagram anger källa "
        "och till vilket år data finns; siffrorna bakom varje diagram finns som CSV.\n",
    )
    w.note(real_value_note(share))


def _changes(w: ReportWriter, changes: pd.DataFrame, previous: pd.DataFrame | None) -> None:
    """What changed since last year's edition."""
    year = w.year
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
        return
    rows = [
        (
            str(w.ind.loc[c.indicator_id, "title"]),
            STATUS_LABELS.get(c.previous_status, c.previous_status),
            STATUS_LABELS.get(c.status, c.status),
            c.cause,
        )
        for c in changes.itertuples()
    ]
    rows_html = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in r) + "</tr>" for r in rows
    )
    rows_md = "\n".join("| " + " | ".join(map(str, r)) + " |" for r in rows)
    w.both(
        '<table class="changes"><thead><tr><th>Indikator</th><th>Förra året</th>'
        f"<th>Nu</th><th>Orsak</th></tr></thead><tbody>{rows_html}</tbody></table>",
        f"| Indikator | Förra året | Nu | Orsak |\n|---|---|---|---|\n{rows_md}\n",
    )


def _focus_efforts(w: ReportWriter) -> None:
    inputs = w.inputs
    labels = inputs.indicators.set_index("indicator_id")["short_label"].astype(str).to_dict()
    w.both('<h2 id="kraftsamlingar">Kraftsamlingar</h2>', "## Kraftsamlingar\n")
    for fe in inputs.focus_efforts.itertuples():
        ids = _linked(inputs.indicators, "focus_effort_ids", fe.focus_effort_id)
        summary = focus_effort_summary(
            fe.focus_effort_name,
            [w.rows.loc[i].to_dict() | {"indicator_id": i} for i in ids if i in w.rows.index],
            labels,
            w.year,
        )
        w.both(
            f'<section class="focus-effort" id="{fe.focus_effort_id}">'
            f"<h3>{html.escape(fe.focus_effort_name)}</h3>"
            f"<p><em>{html.escape(fe.guiding_question)}</em></p>"
            f'<p class="summary">{html.escape(summary)}</p>',
            f"### {fe.focus_effort_name}\n\n*{fe.guiding_question}*\n\n{summary}\n",
        )
        w.explore(ids)
        w.statements(ids)
        for indicator_id in ids:
            if indicator_id not in w.charted:
                w.charts_for(indicator_id)
        w.status_table(ids)
        w.both("</section>", "")


def _areas(w: ReportWriter) -> None:
    inputs = w.inputs
    desired = f"Önskvärt läge {inputs.strategy.period_end}:"
    w.both('<h2 id="omraden">Prioriterade områden</h2>', "## Prioriterade områden\n")
    for area in inputs.areas.itertuples():
        ids = _linked(inputs.indicators, "area_ids", area.area_id)
        w.both(
            f'<section class="area" id="{area.area_id}"><h3>{area.area_number}. '
            f"{html.escape(area.area_name)}</h3><p><strong>{desired}</strong> "
            f"{html.escape(str(area.desired_state_2030))}</p>",
            f"### {area.area_number}. {area.area_name}\n\n**{desired}** "
            f"{area.desired_state_2030}\n",
        )
        w.statements(ids)
        w.status_table(ids)
        for indicator_id in ids:
            if indicator_id not in w.charted:
                w.charts_for(indicator_id)
        w.both("</section>", "")


def _kommuner(w: ReportWriter, pages: list[KommunPage]) -> None:
    """The county's kommuner, each linking to its page."""
    w.both('<h2 id="kommuner">Kommunerna</h2>', "## Kommunerna\n")
    intro = "Varje kommun i länet har en egen sida med sina indikatorer, status och placering."
    w.both(f"<p>{html.escape(intro)}</p>", f"{intro}\n")
    folder = w.figures.name
    w.both(
        '<ul class="kommuner">'
        + "".join(
            f'<li><a href="{folder}/{p.file_stem}.html">{html.escape(p.name)}</a></li>'
            for p in pages
        )
        + "</ul>",
        "\n".join(f"- [{p.name}]({folder}/{p.file_stem}.md)" for p in pages) + "\n",
    )


def _write_kommun_pages(pages: list[KommunPage], folder: Path) -> None:
    (folder / "report.css").write_text(CSS, encoding="utf-8")
    for page in pages:
        for suffix in ("html", "md"):
            text = render(f"kommun.{suffix}.j2", page=page)
            (folder / f"{page.file_stem}.{suffix}").write_text(text, encoding="utf-8")


def _swap_in(work: Path, out_dir: Path, stem: str) -> Path:
    """Figures directory first, then the two documents (each an atomic rename)."""
    final_figures = out_dir / stem
    old = out_dir / f".{stem}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final_figures.exists():
        os.rename(final_figures, old)
    os.rename(work / stem, final_figures)
    for suffix in (".html", ".md"):
        os.replace(work / f"{stem}{suffix}", out_dir / f"{stem}{suffix}")
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    return final_figures


def _check_year(gaps: pd.DataFrame, year: int) -> None:
    years = sorted(gaps["assessment_year"].unique())
    if not years or year < years[0] or year > years[-1]:
        raise ValueError(
            f"assessment year {year} is outside the publication's gap rows "
            f"({years[0] if years else '–'}–{years[-1] if years else '–'})"
        )


def write_report(inputs: ReportInputs, year: int, out_dir: Path) -> ReportFiles:
    """Write ``uppfoljning_<year>.html``/``.md`` and the figures into ``out_dir`` (via a temp
    directory and renames, so a reader never sees half a report)."""
    _check_year(inputs.gaps, year)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"uppfoljning_{year}"
    work = out_dir / f".{stem}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    (work / stem).mkdir(parents=True)
    w = ReportWriter(inputs, year, work / stem)
    editions = out_dir / "editions"
    previous_path = editions / f"uppfoljning_{year - 1}.csv"
    previous = pd.read_csv(previous_path, dtype=str) if previous_path.exists() else None
    since = printed_at(previous)
    revised = revised_since(inputs.revisions, since)
    changes = status_changes(inputs.gaps, year, previous, revised)
    share = real_value_share(inputs.gaps, year)

    _opening(w, share)
    _changes(w, changes, previous)
    revisions_section(w, revised, since)
    _focus_efforts(w)
    _areas(w)
    pages = KommunPageBuilder(inputs, year, f"../{stem}").pages()
    _kommuner(w, pages)
    _write_kommun_pages(pages, work / stem)
    w.both("</body></html>", "")
    (work / f"{stem}.html").write_text("\n".join(w.html), encoding="utf-8")
    (work / f"{stem}.md").write_text("\n".join(w.md), encoding="utf-8")
    figures = _swap_in(work, out_dir, stem)

    editions.mkdir(exist_ok=True)
    edition = editions / f"{stem}.csv"
    if not edition.exists():  # an edition is kept as first printed
        frame = w.rows.reset_index()[["indicator_id", "status", "assessment_year"]].assign(
            publication_id=inputs.publication_id, published_at=inputs.published_at
        )
        frame.to_csv(edition, index=False)
    return ReportFiles(
        html=out_dir / f"{stem}.html",
        markdown=out_dir / f"{stem}.md",
        figures_dir=figures,
        edition=edition,
        year=year,
        charts=w.n_charts,
        kommun_pages=len(pages),
        statements=w.n_statements,
        changes=len(changes),
        publication_id=inputs.publication_id,
        region_name=inputs.region_name,
        real_values=share,
    )


def report_from_publication(
    published: Path, region_code: str, out_dir: Path, year: int | None = None
) -> ReportFiles:
    """The report for ``year`` (default: :func:`latest_year`) from a published DuckDB file."""
    inputs = load_inputs(published, region_code)
    return write_report(inputs, year or latest_year(inputs.values, region_code), out_dir)
