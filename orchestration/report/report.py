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

import math
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT
from orchestration.report import sections, target_section
from orchestration.report.document import Document
from orchestration.report.inputs import (
    ReportInputs,
    current_rows,
    in_force,
    latest_year,
    load_inputs,
)
from orchestration.report.kommun import KommunPage, KommunPageBuilder
from orchestration.report.overview import (
    RealValueShare,
    real_value_share,
    report_title,
    summary_line,
)
from orchestration.report.render import render
from orchestration.report.revisions import printed_at, revised_since, revisions_section
from orchestration.report.sections import METHOD_PAGE, Provenance
from orchestration.report.writer import ReportWriter

__all__ = [
    "Provenance",
    "ReportFiles",
    "latest_year",
    "load_inputs",
    "report_from_publication",
    "status_changes",
    "write_report",
]


CSS = (resources.files("orchestration.report") / "templates" / "report.css").read_text("utf-8")
METHOD_DOC = Path(__file__).resolve().parents[2] / "docs" / "method.md"


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


def _write_kommun_pages(pages: list[KommunPage], folder: Path) -> None:
    (folder / "report.css").write_text(CSS, encoding="utf-8")
    for page in pages:
        for suffix in ("html", "md"):
            text = render(f"kommun.{suffix}.j2", page=page)
            (folder / f"{page.file_stem}.{suffix}").write_text(text, encoding="utf-8")


def _write_method_page(folder: Path, report_stem: str, method_doc: Path = METHOD_DOC) -> str | None:
    """The full method document rendered beside the report (``metod.html``), so the report's
    link works wherever the report is read; None when the document is not at hand."""
    if not method_doc.is_file():
        return None
    from markdown_it import MarkdownIt  # rich's dependency

    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(method_doc.read_text(encoding="utf-8"))
    )
    text = render("method.html.j2", body=body, county_report=f"../{report_stem}")
    (folder / METHOD_PAGE).write_text(text, encoding="utf-8")
    return f"{folder.name}/{METHOD_PAGE}"


def publication_provenance(published: Path) -> Provenance | None:
    """The publication's id, time and raw loads (``publications.lineage``) and the strategy
    texts' sources (``dim_strategy.source``), for the colophon; None when unreadable."""
    import json

    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        pub = con.execute(
            "select publication_id, published_at::varchar, lineage from publications"
        ).fetchone()
        try:
            (source,) = con.execute("select source from dim_strategy").fetchone()
        except duckdb.Error:
            source = None
    except duckdb.Error:
        return None
    finally:
        con.close()
    if pub is None:
        return None
    lineage = json.loads(pub[2]) if isinstance(pub[2], str) else (pub[2] or {})
    names = {"kolada": "Kolada", "scb": "SCB"}
    loads = {
        names.get(key.removesuffix("_accepted_loads"), key): list(ids)
        for key, ids in lineage.items()
        if key.endswith("_accepted_loads") and isinstance(ids, list)
    }
    return Provenance(str(pub[0]), str(pub[1]), loads, source)


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


def _checked_year(gaps: pd.DataFrame, year: int) -> int:
    years = sorted(gaps["assessment_year"].unique())
    if not years or year < years[0] or year > years[-1]:
        raise ValueError(
            f"assessment year {year} is outside the publication's gap rows "
            f"({years[0] if years else '–'}–{years[-1] if years else '–'})"
        )
    return year


def write_report(
    inputs: ReportInputs, year: int, out_dir: Path, provenance: Provenance | None = None
) -> ReportFiles:
    """Write ``uppfoljning_<year>.html``/``.md`` and the figures into ``out_dir`` (via a temp
    directory and renames, so a reader never sees half a report); ``provenance``: the
    publication's loads and sources for the colophon (:func:`publication_provenance`)."""
    inputs = in_force(inputs, _checked_year(inputs.gaps, year))
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"uppfoljning_{year}"
    work = out_dir / f".{stem}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    (work / stem).mkdir(parents=True)
    doc = Document(report_title(inputs.strategy, inputs.region_name, year, inputs.region_code), CSS)
    w = ReportWriter(inputs, year, work / stem, doc)
    editions = out_dir / "editions"
    previous_path = editions / f"uppfoljning_{year - 1}.csv"
    previous = pd.read_csv(previous_path, dtype=str) if previous_path.exists() else None
    since = printed_at(previous)
    revised = revised_since(inputs.revisions, since)
    changes = status_changes(inputs.gaps, year, previous, revised)
    share = real_value_share(inputs.gaps, year)

    sections.opening(w, share)
    sections.changes(w, changes, previous)
    revisions_section(w, revised, since)
    sections.focus_efforts(w)
    sections.areas(w)
    target_section.section(w)
    pages = KommunPageBuilder(inputs, year, f"../{stem}").pages()
    sections.kommuner(w, pages)
    sections.method(w, _write_method_page(work / stem, stem))
    sections.colophon(w, provenance)
    doc.fill_contents()
    _write_kommun_pages(pages, work / stem)
    for suffix in ("html", "md"):
        text = render(f"document.{suffix}.j2", doc=doc)
        (work / f"{stem}.{suffix}").write_text(text, encoding="utf-8")
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
    year = year or latest_year(inputs.values, region_code)
    return write_report(inputs, year, out_dir, publication_provenance(published))
