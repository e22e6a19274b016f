"""The county report's sections as document blocks (:mod:`.document`): the opening, what changed
since last year's edition, per kraftsamling and per area the statements, charts and status
tables, and the kommun pages. No Dagster imports."""

from __future__ import annotations

import pandas as pd

from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.reporting.document import Cell, Heading, Items, Paragraph, Table
from orchestration.reporting.inputs import linked
from orchestration.reporting.kommun import KommunPage
from orchestration.reporting.overview import (
    RealValueShare,
    real_value_note,
    report_title,
    structure_sentence,
)
from orchestration.reporting.statements import focus_effort_summary
from orchestration.reporting.writer import ReportWriter

METHOD = (
    "Status per indikator enligt metoden i docs/method.md (Open SDG / SCB Kanada-metoden för takt "
    "mot mål). Varje diagram anger källa och till vilket år data finns; siffrorna bakom varje "
    "diagram finns som CSV."
)


def opening(w: ReportWriter, share: RealValueShare) -> None:
    """Title, the strategy structure followed, the publication, and the real-value note."""
    inputs = w.inputs
    counts = {
        "goals": len(inputs.goals),
        "areas": len(inputs.areas),
        "focus_efforts": len(inputs.focus_efforts),
    }
    w.doc.add(
        Heading(1, report_title(inputs.strategy, inputs.region_name, w.year)),
        Paragraph(
            structure_sentence(inputs.strategy, counts, inputs.region_code, inputs.region_name),
            "strategy",
        ),
        Paragraph(f"Publicering {inputs.publication_id} ({inputs.published_at}). {METHOD}"),
    )
    w.note(real_value_note(share))


def changes(w: ReportWriter, changed: pd.DataFrame, previous: pd.DataFrame | None) -> None:
    """What changed since last year's edition, and why."""
    year = w.year
    w.doc.add(Heading(2, f"Förändringar sedan uppföljningen {year - 1}", "forandringar"))
    if previous is None:
        w.doc.add(
            Paragraph(
                f"Ingen sparad utgåva för {year - 1}: jämförelsen görs mot {year - 1} års "
                "bedömning beräknad med dagens data."
            )
        )
    if changed.empty:
        w.doc.add(Paragraph("Inga statusar har ändrats."))
        return
    rows = [
        [
            Cell(str(w.ind.loc[c.indicator_id, "title"])),
            Cell(STATUS_LABELS.get(c.previous_status, c.previous_status)),
            Cell(STATUS_LABELS.get(c.status, c.status)),
            Cell(c.cause),
        ]
        for c in changed.itertuples()
    ]
    w.doc.add(Table(["Indikator", "Förra året", "Nu", "Orsak"], rows, "changes"))


def _indicators(w: ReportWriter, ids: list[str], table_first: bool) -> None:
    w.statements(ids)
    if table_first:
        w.status_table(ids)
    for indicator_id in ids:
        if indicator_id not in w.charted:
            w.charts_for(indicator_id)
    if not table_first:
        w.status_table(ids)


def focus_efforts(w: ReportWriter) -> None:
    """Per kraftsamling: its question, summary, strengths and areas to explore, statements,
    charts and status table."""
    inputs = w.inputs
    labels = w.ind["short_label"].astype(str).to_dict()
    w.doc.add(Heading(2, "Kraftsamlingar", "kraftsamlingar"))
    for fe in inputs.focus_efforts.itertuples():
        ids = linked(inputs.indicators, "focus_effort_ids", fe.focus_effort_id)
        rows = [w.rows.loc[i].to_dict() | {"indicator_id": i} for i in ids if i in w.rows.index]
        with w.doc.section("focus-effort", fe.focus_effort_id):
            w.doc.add(
                Heading(3, fe.focus_effort_name),
                Paragraph(fe.guiding_question, "question"),
                Paragraph(
                    focus_effort_summary(fe.focus_effort_name, rows, labels, w.year), "summary"
                ),
            )
            w.explore(ids)
            _indicators(w, ids, table_first=False)


def areas(w: ReportWriter) -> None:
    """Per prioritised area: its desired state, statements, status table and charts."""
    inputs = w.inputs
    desired = f"Önskvärt läge {inputs.strategy.period_end}:"
    w.doc.add(Heading(2, "Prioriterade områden", "omraden"))
    for area in inputs.areas.itertuples():
        ids = linked(inputs.indicators, "area_ids", area.area_id)
        with w.doc.section("area", area.area_id):
            w.doc.add(
                Heading(3, f"{area.area_number}. {area.area_name}"),
                Paragraph(f"{desired} {area.desired_state_2030}", "desired"),
            )
            _indicators(w, ids, table_first=True)


def kommuner(w: ReportWriter, pages: list[KommunPage]) -> None:
    """The county's kommuner, each linking to its page."""
    w.doc.add(
        Heading(2, "Kommunerna", "kommuner"),
        Paragraph(
            "Varje kommun i länet har en egen sida med sina indikatorer, status och placering."
        ),
        Items(
            [p.name for p in pages],
            "kommuner",
            links=[f"{w.figures.name}/{p.file_stem}.html" for p in pages],
        ),
    )
