"""Revised data in the follow-up report: the county's values the sources revised since last
year's edition was printed, read from the published ``mart_revisions``. No Dagster imports."""

from __future__ import annotations

import pandas as pd

from orchestration.gap_method.numbers import fmt
from orchestration.report.document import Cell, Heading, Paragraph, Table
from orchestration.report.writer import ReportWriter

SEX_LABELS = {"T": "totalt", "K": "kvinnor", "M": "män"}
SHOWN = 25  # rows of the revision table; the count says how many there are


def revised_since(revisions: pd.DataFrame, since: str | None) -> pd.DataFrame:
    """The revisions first seen after ``since`` (an edition's publication time; None: all)."""
    if since is None or revisions.empty:
        return revisions
    seen = pd.to_datetime(revisions["first_seen_at"])
    return revisions[seen > pd.Timestamp(since)]


def printed_at(edition: pd.DataFrame | None) -> str | None:
    """When a stored edition was published (None for an edition kept before that was stored)."""
    if edition is None or "published_at" not in edition or edition["published_at"].isna().all():
        return None
    return str(edition["published_at"].dropna().iloc[0])


def _number(value: float | None) -> str:
    """Six significant digits in plain Swedish (a revision may be small)."""
    return fmt(value, 6)


def revisions_section(w: ReportWriter, revised: pd.DataFrame, since: str | None) -> None:
    """Which of the county's values were revised, old → new, and when each was first seen."""
    region = w.inputs.region_name
    when = f"sedan uppföljningen {w.year - 1} publicerades ({since})" if since else "i historiken"
    if revised.empty:
        w.doc.add(Paragraph(f"Inga värden för {region} har reviderats {when}."))
        return
    n_val, n_ind = len(revised), revised["indicator_id"].nunique()
    values = f"{n_val} {'värde' if n_val == 1 else 'värden'}"
    indicators = f"{n_ind} {'indikator' if n_ind == 1 else 'indikatorer'}"
    text = f"{values} för {region} i {indicators} har reviderats {when}"
    text += f"; de {SHOWN} senaste visas." if len(revised) > SHOWN else "."
    shown = revised.sort_values(["first_seen_at", "indicator_id", "year"], ascending=False)
    rows = [
        (
            str(w.ind.loc[r.indicator_id, "short_label"])
            if r.indicator_id in w.ind.index
            else r.indicator_id,
            str(r.year),
            SEX_LABELS.get(r.sex, r.sex),
            _number(r.old_value),
            "borttaget" if r.is_deleted else _number(r.new_value),
            str(r.first_seen_at)[:16],
        )
        for r in shown.head(SHOWN).itertuples()
    ]
    header = ["Indikator", "År", "Kön", "Före", "Efter", "Upptäckt"]
    w.doc.add(
        Heading(3, "Reviderade data", "reviderade"),
        Paragraph(text),
        Table(header, [[Cell(c) for c in r] for r in rows], "revisions"),
    )
