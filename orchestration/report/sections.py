"""The county report's sections as document blocks (:mod:`.document`): the opening with its table
of contents, what changed since last year's edition, per kraftsamling and per area the
statements, charts and status tables, the kommun pages, how the indicators are judged, and the
colophon (sources, publication, method). No Dagster imports."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from orchestration.gap_method.labels import STATUS_LABELS, STATUSES
from orchestration.gap_method.numbers import count
from orchestration.gap_method.statements import focus_effort_summary
from orchestration.report.document import Cell, Contents, Heading, Items, Paragraph, Table, Terms
from orchestration.report.formatting import (
    indicator_anchor,
    source_path,
    swedish_datetime,
)
from orchestration.report.inputs import linked
from orchestration.report.kommun import KommunPage
from orchestration.report.overview import (
    RealValueShare,
    is_owner,
    real_value_note,
    report_title,
    strategy_text,
    structure_sentence,
)
from orchestration.report.writer import ReportWriter

METHOD_ID = "sa-bedoms-indikatorerna"
COLOPHON_ID = "om-uppfoljningen"
METHOD_PAGE = "metod.html"  # the full method document, beside the charts


@dataclass(frozen=True)
class Provenance:
    """Where the edition comes from, for the colophon: the publication and the raw loads it was
    built from (``publications.lineage``), and the strategy texts' sources."""

    publication_id: str
    published_at: str
    loads: dict[str, list[str]] = field(default_factory=dict)  # source → raw load ids
    strategy_source: str | None = None


def opening(w: ReportWriter, share: RealValueShare) -> None:
    """Title, the strategy structure followed, the real-value note and the table of contents."""
    inputs = w.inputs
    counts = {
        "goals": len(inputs.goals),
        "areas": len(inputs.areas),
        "focus_efforts": len(inputs.focus_efforts),
    }
    w.doc.add(
        Heading(1, report_title(inputs.strategy, inputs.region_name, w.year, inputs.region_code)),
        Paragraph(
            structure_sentence(inputs.strategy, counts, inputs.region_code, inputs.region_name),
            "strategy",
        ),
    )
    w.note(real_value_note(share))
    w.doc.add(Contents())


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
            Cell(
                w.label(c.indicator_id),
                href=f"#{indicator_anchor(c.indicator_id)}",
                title=str(w.ind.loc[c.indicator_id, "title"]),
            ),
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
        question = strategy_text(inputs.strategy, inputs.region_code, fe.guiding_question)
        owner = is_owner(inputs.strategy, inputs.region_code)
        with w.doc.section("focus-effort", fe.focus_effort_id):
            w.doc.add(
                Heading(3, fe.focus_effort_name),
                Paragraph(question, "question" if owner else "borrowed"),
                Paragraph(
                    focus_effort_summary(fe.focus_effort_name, rows, labels, w.year), "summary"
                ),
            )
            w.explore(ids)
            _indicators(w, ids, table_first=False)


def areas(w: ReportWriter) -> None:
    """Per prioritised area: its desired state, statements, status table and charts."""
    inputs = w.inputs
    lead = f"Önskvärt läge {inputs.strategy.period_end}"
    owner = is_owner(inputs.strategy, inputs.region_code)
    w.doc.add(Heading(2, "Prioriterade områden", "omraden"))
    for area in inputs.areas.itertuples():
        ids = linked(inputs.indicators, "area_ids", area.area_id)
        desired = strategy_text(inputs.strategy, inputs.region_code, area.desired_state_2030, lead)
        with w.doc.section("area", area.area_id):
            w.doc.add(
                Heading(3, f"{area.area_number}. {area.area_name}"),
                Paragraph(desired, "desired" if owner else "borrowed"),
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


def method(w: ReportWriter, method_page: str | None) -> None:
    """Så bedöms indikatorerna: the statuses and the marks in the tables, in plain Swedish, and
    a link to the full method document when it is written beside the report."""
    statuses = [(s.label, s.meaning) for s in STATUSES]
    w.doc.add(
        Heading(2, "Så bedöms indikatorerna", METHOD_ID),
        Paragraph(
            "Varje indikator följs upp mot strategins mål för den: en nivå att nå till ett visst "
            "år, minst rikets nivå, eller bara en önskad riktning (ska öka eller minska). "
            "Bedömningen utgår från länets värden sedan basåret och jämför den takt som "
            "utvecklingen har haft med den takt som krävs för att nå målet i tid, på samma sätt "
            "som Open SDG och Statistics Canada följer upp de globala hållbarhetsmålen. Varje "
            "indikator får en av dessa statusar:"
        ),
        Terms(statuses, "statuses"),
        Paragraph("I tabellerna:"),
        Items(
            [
                "(osäker): bedömningen bygger på bara 2–3 värden.",
                "Kvinnor och män: en samlad status för kvinnors och mäns serier, medelvärdet av "
                "deras bedömningar; uppnått bara om båda har nått målet.",
                "Plats bland län: länets plats bland rikets län, där 1 är bäst i den önskade "
                "riktningen.",
                "–: uppgift saknas eller jämförs inte. En total, till exempel utsläpp i ton eller "
                "betesmark i hektar, beror på områdets storlek och jämförs därför aldrig med "
                "andra län eller kommuner; där det finns visar diagrammen i stället värdet per "
                "invånare.",
                "*: syntetiskt värde, inte publicerat av källan.",
                "Tidsseriebrott: där källan har ändrat hur ett värde tas fram markeras det med en "
                "streckad linje i diagrammet och förklaras under det.",
            ],
            "marks",
        ),
    )
    if method_page:
        w.doc.add(
            Paragraph(
                "Hela metodbeskrivningen, med alla regler och parametrar (teknisk, på engelska)",
                "small",
                href=method_page,
            )
        )


def colophon(w: ReportWriter, provenance: Provenance | None) -> None:
    """Om uppföljningen: how it is made, the publication and loads it comes from, and every
    indicator's source."""
    inputs = w.inputs
    published_at = provenance.published_at if provenance else inputs.published_at
    publication_id = provenance.publication_id if provenance else inputs.publication_id
    w.doc.add(
        Heading(2, "Om uppföljningen", COLOPHON_ID),
        Paragraph(
            "Uppföljningen tas fram automatiskt ur offentlig statistik från Kolada och SCB:s "
            "statistikdatabas. Värdena hämtas, kontrolleras och bedöms på samma sätt varje "
            "gång. Varje diagram anger källa och till vilket år det finns data, och siffrorna "
            "bakom det finns som CSV."
        ),
        Paragraph(
            f"Utgåvan bygger på publiceringen från {swedish_datetime(published_at)} "
            f"(id {publication_id})."
        ),
    )
    if provenance and provenance.loads:
        parts = [f"{name} {', '.join(ids)}" for name, ids in provenance.loads.items() if ids]
        if parts:
            n = sum(len(ids) for ids in provenance.loads.values())
            w.doc.add(
                Paragraph(
                    f"Underlag: {count(n, 'godkänd hämtning', 'godkända hämtningar')} "
                    f"({'; '.join(parts)}).",
                    "small",
                )
            )
    if provenance and provenance.strategy_source:
        w.doc.add(
            Paragraph(
                f"Strategins mål, områden och kraftsamlingar: {provenance.strategy_source}.",
                "small",
            )
        )
    ind = w.ind.sort_values("short_label")
    rows = [
        [
            Cell(str(i.short_label)),
            Cell(str(i.title)),
            Cell(source_path(i.source, i.source_series_id)),
            Cell(str(i.unit)),
        ]
        for i in ind.reset_index().itertuples()
    ]
    w.doc.add(
        Heading(3, "Indikatorer och källor", "kallor"),
        Table(["Indikator", "Namn i källan", "Källa", "Enhet"], rows, "sources"),
    )
