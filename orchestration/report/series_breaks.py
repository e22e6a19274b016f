"""Known breaks in the sources' time series: the one place the report declares them.

A break is a year between which and the next the source changed how the figure is made, so the
values on either side are not fully comparable. The report marks each on the indicator's trend
charts (a dashed rule between the two years) and says so in the caption. Add a break here only
with the source's own word for it (``source``). No Dagster imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SeriesBreak:
    indicator_id: str
    last_year_before: int  # the break lies between this year …
    first_year_after: int  # … and this one
    note: str  # Swedish, for the caption: what changed
    source: str  # where the source says so

    @property
    def between(self) -> str:
        return f"mellan {self.last_year_before} och {self.first_year_after}"

    @property
    def caption(self) -> str:
        """The caption's sentence: "Tidsseriebrott mellan 2016 och 2017: … (Källa: …)"."""
        return f"Tidsseriebrott {self.between}: {self.note} (källa: {self.source})."


SERIES_BREAKS: tuple[SeriesBreak, ...] = (
    SeriesBreak(
        indicator_id="grade_9_passed_all_subjects",
        last_year_before=2016,
        first_year_after=2017,
        note=(
            "Kolada: ”2016 exkluderades elever med okänd bakgrund”; värdena före och efter är "
            "inte fullt jämförbara"
        ),
        source="Kolada, nyckeltalets beskrivning (N15419)",
    ),
)


def breaks_for(
    indicator_id: str,
    years: Iterable[int] | None = None,
    breaks: Iterable[SeriesBreak] | None = None,
) -> list[SeriesBreak]:
    """The known breaks of an indicator (default: :data:`SERIES_BREAKS`); with ``years``, only
    those inside the years shown (a value on both sides of the break)."""
    shown = sorted({int(y) for y in years}) if years is not None else None
    out = []
    for b in SERIES_BREAKS if breaks is None else breaks:
        if b.indicator_id != indicator_id:
            continue
        if shown is not None and not (
            shown and shown[0] <= b.last_year_before and shown[-1] >= b.first_year_after
        ):
            continue
        out.append(b)
    return sorted(out, key=lambda b: b.last_year_before)
