"""One page per kommun of the county: its statements and status table per kraftsamling, its place
among the county's kommuner and among every kommun in the publication, and its women/men gaps;
linked from the county report and back. A plain view model (dicts and dataclasses) that the
templates in ``templates/`` render to HTML and Markdown. No Dagster imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS, status_tone
from orchestration.gap_method.numbers import fmt, short_unit
from orchestration.gap_method.reasons import insufficient_reason
from orchestration.gap_method.statements import (
    META_COLUMNS,
    indicator_statement,
    insufficient_statement,
)
from orchestration.report.formatting import indicator_anchor, place
from orchestration.report.inputs import ReportInputs, current_rows, linked
from orchestration.report.overview import report_title

KOMMUNER_IN_SWEDEN = 290


@dataclass(frozen=True)
class KommunIndicator:
    """One indicator of a kommun page: its statement and status-table cells."""

    indicator_id: str
    title: str  # the source's full title (the label's tooltip)
    label: str  # the catalogue's short label
    unit: str
    statement: str
    status: str
    status_label: str
    status_css: str
    value: str
    data_year: str
    county: str
    riket: str
    place_in_lan: str
    place_in_sweden: str
    women: str
    men: str
    county_anchor: str  # the indicator's charts in the county report


@dataclass(frozen=True)
class KommunSection:
    focus_effort_id: str
    name: str
    indicators: list[KommunIndicator]


@dataclass(frozen=True)
class KommunPage:
    code: str
    name: str
    region_name: str
    year: int
    title: str
    file_stem: str
    county_report: str  # relative link back to the county report
    sections: list[KommunSection] = field(default_factory=list)
    kommuner_in_publication: int = 0
    kommuner_in_lan: int = 0
    method_link: str = ""  # "Så bedöms indikatorerna" in the county report

    @property
    def has_synthetic(self) -> bool:
        return any(i.value.endswith("*") for s in self.sections for i in s.indicators)

    @property
    def shows_place_in_sweden(self) -> bool:
        """The place among all kommuner says more than the place in the län only when the
        publication holds kommuner of other län too."""
        return self.kommuner_in_publication > self.kommuner_in_lan

    @property
    def sweden_note(self) -> str | None:
        """Said when the publication does not hold every kommun of Sweden."""
        n = self.kommuner_in_publication
        if n >= KOMMUNER_IN_SWEDEN:
            return None
        if not self.shows_place_in_sweden:
            return (
                f"Underlaget omfattar bara länets {n} kommuner, så kommunens plats bland "
                f"rikets {KOMMUNER_IN_SWEDEN} kommuner visas inte."
            )
        return (
            f"Underlaget omfattar {n} av rikets {KOMMUNER_IN_SWEDEN} kommuner; platsen bland "
            "kommunerna gäller dem."
        )


def kommun_file_stem(code: str) -> str:
    return f"kommun_{code}"


def _statement(
    row: pd.Series | None,
    label: str,
    name: str,
    year: int,
    meta: dict | None = None,
    value_years: Iterable[int] = (),
    baseline_year: int | None = None,
) -> str:
    """The kommun's line for an indicator; an unassessable one says why from the kommun's own
    years with a value (as the county report does for the county)."""
    if row is None:
        return insufficient_statement(label, f"inga värden för {name} t.o.m. {year}")
    reason = (
        insufficient_reason(row.to_dict(), value_years, baseline_year)
        if row["status"] == INSUFFICIENT
        else None
    )
    return indicator_statement(row.to_dict(), label, reason, meta or {})


class KommunPageBuilder:
    """Builds every kommun page of one report year from the report's inputs."""

    def __init__(self, inputs: ReportInputs, year: int, county_report: str) -> None:
        self.inputs, self.year, self.county_report = inputs, year, county_report
        self.ind = inputs.indicators.set_index("indicator_id")
        self.county_rows = current_rows(inputs.gaps, year)
        places = inputs.kommun_places
        self.places = places[places["year"] <= year].set_index(
            ["indicator_id", "geography_code", "year"]
        )
        geo = inputs.geographies
        self.kommuner = geo[geo["lan_code"].eq(inputs.region_code) & geo["level"].eq("kommun")]
        v = inputs.values
        self.values = v[v["sex"].eq("T") & v["value"].notna()][
            ["indicator_id", "geography_code", "year"]
        ]
        coverage = inputs.coverage
        self.published_kommuner = int(
            coverage.loc[coverage["level"].eq("kommun"), "geography_code"].nunique()
        )

    def page(self, code: str, name: str) -> KommunPage:
        gaps = self.inputs.kommun_gaps
        rows = current_rows(gaps[gaps["geography_code"] == code], self.year)
        sections = [
            KommunSection(
                fe.focus_effort_id,
                fe.focus_effort_name,
                [
                    self._indicator(i, code, name, rows)
                    for i in linked(self.inputs.indicators, "focus_effort_ids", fe.focus_effort_id)
                ],
            )
            for fe in self.inputs.focus_efforts.itertuples()
        ]
        return KommunPage(
            code=code,
            name=name,
            region_name=self.inputs.region_name,
            year=self.year,
            title=report_title(self.inputs.strategy, name, self.year, self.inputs.region_code),
            file_stem=kommun_file_stem(code),
            county_report=self.county_report,
            sections=sections,
            kommuner_in_publication=self.published_kommuner,
            kommuner_in_lan=len(self.kommuner),
            method_link=f"{self.county_report}.html#sa-bedoms-indikatorerna",
        )

    def pages(self) -> list[KommunPage]:
        ordered = self.kommuner.sort_values("geography_name")
        return [
            self.page(c, n)
            for c, n in zip(ordered["geography_code"], ordered["geography_name"], strict=True)
        ]

    def _value_years(self, indicator_id: str, code: str) -> list[int]:
        """The years the kommun has a value (sex T) for the indicator."""
        v = self.values
        return sorted(
            v.loc[(v["indicator_id"] == indicator_id) & (v["geography_code"] == code), "year"]
        )

    def _indicator(
        self, indicator_id: str, code: str, name: str, rows: pd.DataFrame
    ) -> KommunIndicator:
        i = self.ind.loc[indicator_id]
        total = str(i.get("measure", "")) == "total"  # its size: never set beside other places
        r = rows.loc[indicator_id] if indicator_id in rows.index else None
        status = str(r["status"]) if r is not None else INSUFFICIENT
        label = str(r["status_label"]) if r is not None else STATUS_LABELS[INSUFFICIENT]
        data_year = int(r["assessment_year"]) if r is not None else None
        county = (
            self.county_rows.loc[indicator_id] if indicator_id in self.county_rows.index else None
        )
        sweden = (
            self.places.loc[(indicator_id, code, data_year)]
            if data_year is not None and (indicator_id, code, data_year) in self.places.index
            else None
        )
        meta = i.reindex(META_COLUMNS).dropna().to_dict()
        return KommunIndicator(
            indicator_id=indicator_id,
            title=str(i["title"]),
            label=str(i["short_label"]),
            unit=short_unit(str(i["unit"])),
            statement=_statement(
                r,
                str(i["short_label"]),
                name,
                self.year,
                meta,
                self._value_years(indicator_id, code),
                None if pd.isna(i.get("baseline_year")) else int(i["baseline_year"]),
            ),
            status=status,
            status_label=label
            + (" (osäker)" if r is not None and bool(r.get("low_confidence")) else ""),
            status_css=status_tone(status),
            value=fmt(r["value"] if r is not None else None)
            + (" *" if r is not None and bool(r.get("is_synthetic")) else ""),
            data_year=str(data_year) if data_year else "–",
            county=fmt(county["value"] if county is not None and not total else None),
            riket=fmt(r.get("national_value") if r is not None and not total else None),
            place_in_lan=place(
                r.get("rank_in_lan") if r is not None and not total else None,
                r.get("kommuner_ranked") if r is not None else None,
            ),
            place_in_sweden=place(
                sweden["place"] if sweden is not None and not total else None,
                sweden["ranked"] if sweden is not None else None,
            ),
            women=fmt(r.get("value_women") if r is not None else None),
            men=fmt(r.get("value_men") if r is not None else None),
            county_anchor=indicator_anchor(indicator_id),
        )
