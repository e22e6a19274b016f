"""The report's opening: its title, which strategy structure it follows, and how much of the
county's assessments rest on real values only.

An *assessment* (bedömning) is what the report's status tables show for the county: per
indicator, its newest row of ``gap_indicator_annual`` up to the report year (sex T, the
data-as-of year; :func:`~orchestration.report.inputs.current_rows`) whose status is not
"otillräckliga data". It rests on real values only when its ``is_synthetic`` flag is false (no
input of the row — window, baseline, benchmark, women/men — is synthetic). No Dagster imports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT
from orchestration.report.formatting import genitive
from orchestration.report.inputs import Strategy, current_rows

# The strategy's parts as the report counts them: (singular, plural).
STRUCTURE_LABELS = {
    "goals": ("övergripande mål", "övergripande mål"),
    "areas": ("prioriterat område", "prioriterade områden"),
    "focus_efforts": ("kraftsamling", "kraftsamlingar"),
}


def is_owner(strategy: Strategy, region_code: str | None) -> bool:
    """Whether the county followed up is the strategy owner's (None: assume so)."""
    return region_code is None or region_code == strategy.owner_region_code


def strategy_name(strategy: Strategy) -> str:
    """The strategy named with its owner: "Region Västmanlands läns RUS 2018–2030"."""
    return f"{genitive(strategy.owner)} {strategy.short_title}"


def report_title(
    strategy: Strategy, region_name: str, year: int, region_code: str | None = None
) -> str:
    """ "Uppföljning av RUS 2018–2030: Dalarnas län 2022"; for a county (or a kommun of a county,
    ``region_code``) other than the strategy owner's, the strategy is named with its owner, so
    the title never reads as the county's own strategy."""
    if is_owner(strategy, region_code):
        return f"Uppföljning av {strategy.short_title}: {region_name} {year}"
    return f"Uppföljning enligt {strategy_name(strategy)}: {region_name} {year}"


def strategy_text(strategy: Strategy, region_code: str | None, text: str, lead: str = "") -> str:
    """A text of the strategy (önskvärt läge, a kraftsamling's question) as the report prints it.

    For the owner's county the text is its own: ``lead`` + text. For any other county the
    texts name the owner's county ("<länet> har ett starkt näringsliv…", "Hur kan <länets>
    myndigheter…"), so they are quoted and attributed, never presented as the county's
    own: "Önskvärt läge 2030 ur <ägarens> RUS 2018–2030: ”…”".
    """
    if is_owner(strategy, region_code):
        return f"{lead}: {text}" if lead else text
    source = f"ur {strategy_name(strategy)}"
    said = f"{lead} {source}" if lead else source[:1].upper() + source[1:]
    return f"{said}: ”{text.strip()}”"


def structure_sentence(
    strategy: Strategy, counts: dict[str, int], region_code: str, region_name: str
) -> str:
    """Which strategy's structure the report follows, with its parts counted (``counts`` keyed
    like :data:`STRUCTURE_LABELS`, from the published tables); when the county is not the
    strategy owner's, that the structure is applied to it."""
    parts = ", ".join(
        f"{counts[key]} {one if counts[key] == 1 else many}"
        for key, (one, many) in STRUCTURE_LABELS.items()
    )
    text = f"Uppföljningen följer strukturen i {strategy.title} ({strategy.owner}): {parts}."
    if region_code != strategy.owner_region_code:
        text += (
            f" {region_name} har här följts upp med den strategins struktur, mål och "
            "indikatorer; den är inte länets egen strategi."
        )
    return text


@dataclass(frozen=True)
class RealValueShare:
    """How many of the county's assessments in ``year`` rest on real values only."""

    year: int
    assessments: int
    real_only: int

    @property
    def synthetic(self) -> int:
        return self.assessments - self.real_only

    @property
    def real_percent(self) -> int:
        """Rounded, but never 100 while one is synthetic nor 0 while one is real."""
        if not self.assessments:
            return 0
        percent = round(100 * self.real_only / self.assessments)
        if 0 < self.real_only < self.assessments:
            percent = min(max(percent, 1), 99)
        return percent


def real_value_share(gaps: pd.DataFrame, year: int) -> RealValueShare:
    """The share of the county's assessments in ``year`` resting on real values only.

    ``gaps``: the county's rows of ``gap_indicator_annual`` (sex T, every assessment year);
    the assessments are defined in the module docstring.
    """
    rows = current_rows(gaps, year)
    assessed = rows[rows["status"] != INSUFFICIENT]
    synthetic = assessed["is_synthetic"].fillna(False).astype(bool)
    return RealValueShare(year=year, assessments=len(assessed), real_only=int((~synthetic).sum()))


def real_value_note(share: RealValueShare) -> str:
    """The report's first note: the share on real values only, and the synthetic rest."""
    if not share.assessments:
        return f"Inga av länets indikatorer kan bedömas {share.year}."
    n = "bedömning" if share.assessments == 1 else "bedömningar"
    text = (
        f"{share.real_percent} % av länets {share.assessments} {n} {share.year} bygger enbart "
        "på verkliga värden"
    )
    if not share.synthetic:
        return text + "."
    return (
        f"{text}; {100 - share.real_percent} % helt eller delvis på syntetiska värden "
        "(markerade med *): exempeldata där inga verkliga siffror fanns i ögonblicksbilden. "
        "De är inte officiell statistik."
    )


def summary_line(region_name: str, share: RealValueShare, report: Path) -> str:
    """One line for the command line: the same figure as the report's first note."""
    n = "bedömning" if share.assessments == 1 else "bedömningar"
    return (
        f"{region_name} {share.year}: {share.assessments} {n}, {share.real_percent} % på "
        f"enbart verkliga värden ({_shown(report)})"
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path(os.getcwd()).resolve()))
    except ValueError:
        return str(path)
