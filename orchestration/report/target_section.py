"""The county report's "Mål och kontrollstationer": every catalogue target with its source, the
strategy's kontrollstationer (where the path to the target puts the county in 2020 and 2025,
and where it was), and for peer targets the county against its comparable län. The figures come
from :mod:`.targets` and :mod:`.peers`; this module only lays them out as document blocks
(:mod:`.document`). No Dagster imports.
"""

from __future__ import annotations

from orchestration.gap_method.changes import level, per_year
from orchestration.gap_method.labels import INSUFFICIENT, SEX_GAP_TARGET
from orchestration.gap_method.numbers import as_float, short_unit
from orchestration.report.document import Cell, Heading, Items, Paragraph, Table
from orchestration.report.formatting import indicator_anchor
from orchestration.report.peers import compare_with_peers, peer_sentence
from orchestration.report.targets import (
    CHECKPOINTS,
    DIRECTION_LABEL,
    MOVING_TYPES,
    SEX_GAP_TEXT,
    TARGET_TYPE_LABELS,
    TargetPath,
    baseline_cell,
    checkpoint_cells,
    goal_text,
    has_target,
    is_path_target,
    target_path,
    target_text,
    year_of,
)
from orchestration.report.writer import ReportWriter, status_cell

SECTION_ID = "mal-och-kontrollstationer"
TARGETS_HEAD = ["Indikator", "Typ av mål", "Mål", "Basår", "Målår", "Källa för målet"]
META = ("scale", "unit")


def _name_cell(w: ReportWriter, indicator_id: str) -> Cell:
    """The indicator's short label linking to its charts, the unit below."""
    return Cell(
        w.label(indicator_id),
        href=f"#{w.charted.get(indicator_id, indicator_anchor(indicator_id))}",
        title=str(w.ind.loc[indicator_id, "title"]),
        note=short_unit(w.unit(indicator_id)),
    )


def _catalogue(w: ReportWriter, indicator_id: str) -> dict:
    return w.ind.loc[indicator_id].to_dict() | {"indicator_id": indicator_id}


def _gap_targeted(w: ReportWriter, indicator_id: str) -> bool:
    """The catalogue says the indicator's women/men gap shall decrease (``sex_gap_target``)."""
    return w.ind.loc[indicator_id].get("sex_gap_target") == "decrease"


def target_ids(w: ReportWriter) -> list[str]:
    """The indicators with a target (not only a desired direction, or a target on the women/men
    gap besides it), by short label."""
    ids = [i for i in w.ind.index if has_target(w.ind.loc[i, "target_type"]) or _gap_targeted(w, i)]
    return sorted(ids, key=w.label)


def _kind_and_text(w: ReportWriter, indicator_id: str) -> tuple[str, str]:
    """The target's kind and wording, the gap target added where there is one."""
    c = _catalogue(w, indicator_id)
    level = _level(w, indicator_id) if c["target_type"] == "relative" else None
    kind = TARGET_TYPE_LABELS.get(str(c["target_type"]), DIRECTION_LABEL)
    text = target_text(c, level)
    if _gap_targeted(w, indicator_id):
        kind += f"; {TARGET_TYPE_LABELS['gap']}"
        text = f"{text}; {SEX_GAP_TEXT}"
    return kind, text


def _level(w: ReportWriter, indicator_id: str) -> float | None:
    """The relative target's level as the gap method derived it from the baseline."""
    row = w.row(indicator_id)
    return as_float(row.get("target_level")) if row is not None else None


def targets_table(w: ReportWriter, ids: list[str]) -> None:
    """Mål och källor: each target as the catalogue states it, and its source."""
    rows = []
    for i in ids:
        c = _catalogue(w, i)
        kind, text = _kind_and_text(w, i)
        rows.append(
            [
                _name_cell(w, i),
                Cell(kind),
                Cell(text),
                Cell(str(year_of(c.get("baseline_year")) or "–")),
                Cell(str(year_of(c.get("target_year")) or "–")),
                Cell(str(c.get("target_source") or "–")),
            ]
        )
    w.doc.add(Heading(3, "Mål och källor"), Table(TARGETS_HEAD, rows, "targets"))


def _path(w: ReportWriter, indicator_id: str) -> TargetPath | None:
    """The indicator's path and kontrollstationer for the county; None without a gap row."""
    row = w.row(indicator_id)
    if row is None:
        return None
    g = w.inputs.gaps
    rows = g[g["indicator_id"] == indicator_id]
    v = w.inputs.values
    years = v.loc[
        (v["indicator_id"] == indicator_id)
        & (v["geography_code"] == w.inputs.region_code)
        & (v["sex"] == "T")
        & v["value"].notna(),
        "year",
    ]
    catalogue = year_of(w.ind.loc[indicator_id].get("baseline_year"))
    return target_path(row.to_dict(), rows, w.year, years, catalogue)


def _checkpoint_head(year: int) -> list[str]:
    head = [f"Kontrollstation {c}: bana" for c in CHECKPOINTS]
    for n, c in reversed(list(enumerate(CHECKPOINTS))):
        if c <= year:
            head.insert(n + 1, f"Kontrollstation {c}: utfall")
    return ["Indikator", "Basår", "Mål", *head, "Status"]


def _checkpoint_row(w: ReportWriter, indicator_id: str) -> list[Cell]:
    """One indicator's row: baseline, target, path and outcome per kontrollstation, status."""
    c = _catalogue(w, indicator_id)
    meta = {k: c.get(k) for k in META}
    path = _path(w, indicator_id)
    row = w.row(indicator_id)
    n_cells = len(_checkpoint_head(w.year)) - 4
    goal = goal_text(c, _level(w, indicator_id))
    if path is None or path.reason:
        reason = path.reason if path else f"otillräckliga data: {w.reason(indicator_id)}"
        cells = [Cell(reason), *(Cell("–") for _ in range(n_cells))]
    else:
        base = baseline_cell(path, meta, year_of(c.get("baseline_year")))
        cells = [Cell(base), *map(Cell, checkpoint_cells(path, meta))]
    data_year = int(row["assessment_year"]) if row is not None else w.year
    note = f"data t.o.m. {data_year}" if data_year != w.year else None
    return [_name_cell(w, indicator_id), cells[0], Cell(goal), *cells[1:], status_cell(row, note)]


def checkpoints(w: ReportWriter, ids: list[str]) -> None:
    """Kontrollstationer: a table for the targets with a level to reach, another for those set
    by riket or the comparable län (their figures are distances)."""
    with_path = [i for i in ids if is_path_target(_catalogue(w, i))]
    fixed = [i for i in with_path if w.ind.loc[i, "target_type"] not in MOVING_TYPES]
    moving = [i for i in with_path if w.ind.loc[i, "target_type"] in MOVING_TYPES]
    stations = " och ".join(map(str, CHECKPOINTS))
    w.doc.add(
        Heading(3, f"Kontrollstationer {stations}"),
        Paragraph(
            f"Strategin har kontrollstationer {stations}. Banan visar var länet skulle ha "
            "legat för att nå målet i tid, räknat från basårets värde; utfallet är var länet "
            "låg. Data som ännu inte finns visas inte."
        ),
    )
    head = _checkpoint_head(w.year)
    if fixed:
        w.doc.add(
            Paragraph(
                "Mål som en nivå att nå: banan går från basårets värde till målnivån med samma "
                "procentuella förändring varje år, den takt som bedömningen mäter mot.",
                "small",
            ),
            Table(head, [_checkpoint_row(w, i) for i in fixed], "checkpoints"),
        )
    if moving:
        w.doc.add(
            Paragraph(
                "Mål i nivå med riket eller de jämförbara länen: avståndet till dem ska minska "
                "i jämn takt från basåret till noll i målåret. Banan och utfallet är avståndet i "
                "den önskade riktningen (före eller efter).",
                "small",
            ),
            Table(head, [_checkpoint_row(w, i) for i in moving], "checkpoints"),
        )


def peer_comparisons(w: ReportWriter, ids: list[str]) -> None:
    """Jämförbara län: per peer target, how many of them the county is ahead of and whether the
    distance to their mean closes (nothing when no target is set by the peers)."""
    peer_ids = [i for i in ids if w.ind.loc[i, "target_type"] == "peer"]
    if not peer_ids:
        return
    names = [str(w.names.get(code, code)) for code in w.inputs.peers]
    v = w.inputs.values
    lines = []
    for i in peer_ids:
        row = w.row(i)
        if row is None:
            lines.append(f"{w.label(i)}: otillräckliga data – {w.reason(i)}.")
            continue
        at = v[(v["indicator_id"] == i) & (v["sex"] == "T") & (v["year"] == row["assessment_year"])]
        by_code = at.set_index("geography_code")["value"]
        peer_values = {str(w.names.get(p, p)): by_code.get(p) for p in w.inputs.peers}
        meta = {k: w.ind.loc[i].get(k) for k in META}
        comparison = compare_with_peers(row.to_dict(), peer_values)
        lines.append(peer_sentence(w.label(i), w.inputs.region_name, comparison, meta))
    listed = ", ".join(names[:-1]) + f" och {names[-1]}" if len(names) > 1 else "".join(names)
    w.doc.add(
        Heading(3, "Jämförbara län"),
        Paragraph(
            f"Där målet är de jämförbara länens medelvärde jämförs {w.inputs.region_name} med "
            + (f"{listed}." if names else "jämförbara län, men inga är angivna för länet.")
        ),
        Items(lines, "peers"),
    )


GAP_HEAD = ["Indikator", "Status (nivån)", "Kvinnor", "Män", "Skillnaden per år", "Skillnaden"]


def sex_gap_verdicts(w: ReportWriter, ids: list[str]) -> None:
    """Skillnaden mellan kvinnor och män: where the target says the gap shall decrease, the
    gap's own verdict beside the level's status, with K, M and the slope it is read from."""
    gap_ids = [i for i in ids if _gap_targeted(w, i)]
    if not gap_ids:
        return
    rows = []
    for i in gap_ids:
        row = w.row(i)
        meta = {k: w.ind.loc[i].get(k) for k in META}
        code = row.get("sex_gap_target_status") if row is not None else None
        code = code if isinstance(code, str) and code in SEX_GAP_TARGET else INSUFFICIENT
        label, tone = SEX_GAP_TARGET[code]
        slope = as_float(row.get("sex_gap_slope")) if row is not None else None
        rows.append(
            [
                _name_cell(w, i),
                status_cell(row),
                Cell(level(row.get("value_women"), meta) if row is not None else "–"),
                Cell(level(row.get("value_men"), meta) if row is not None else "–"),
                Cell(per_year(slope, meta)),
                Cell(label, css=tone),
            ]
        )
    w.doc.add(
        Heading(3, "Skillnaden mellan kvinnor och män"),
        Paragraph(
            "Där målet också säger att skillnaden mellan kvinnor och män ska minska bedöms "
            "skillnaden för sig, efter sin trend de senaste sex åren (oförändrad när "
            "förändringen ligger inom de vanliga svängningarna), bredvid nivåns egen status."
        ),
        Table(GAP_HEAD, rows, "sex-gap"),
    )


def section(w: ReportWriter) -> None:
    """Mål och kontrollstationer (nothing but a heading and a line when no indicator has a
    target)."""
    ids = target_ids(w)
    w.doc.add(Heading(2, "Mål och kontrollstationer", SECTION_ID))
    if not ids:
        w.doc.add(Paragraph("Inga indikatorer har ett mål utöver en önskad riktning."))
        return
    w.doc.add(
        Paragraph(
            "Indikatorer med ett mål utöver en önskad riktning: målet som det står i "
            "indikatorkatalogen och var det kommer ifrån, var länet står vid strategins "
            "kontrollstationer och, där målet är de jämförbara länens nivå, hur länet står sig "
            "mot dem."
        )
    )
    targets_table(w, ids)
    checkpoints(w, ids)
    sex_gap_verdicts(w, ids)
    peer_comparisons(w, ids)
