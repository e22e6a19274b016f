"""What an indicator's charts show, as data: the frames of its trend, län, women/men and kommun
charts, and the description of each for screen readers. No Dagster imports, no files written:
:class:`~orchestration.report.writer.ReportWriter` draws and writes them.

A *total* (the catalogue's ``measure`` = total) is never set beside other places: its trend has
no Riket line and its side-by-side charts show its per-inhabitant sibling, or nothing.
"""

from __future__ import annotations

import pandas as pd

from orchestration.gap_method.numbers import fmt_unit
from orchestration.report.inputs import ReportInputs, current_rows
from orchestration.report.targets import path_points

SEX_NAMES = {"K": "Kvinnor", "M": "Män"}
MIN_LAN_CHARTED = 10  # fewer län with a value: no side-by-side (a rank among 4 says little)
TARGET_PATH = "Målbana till"
TOTAL = "total"


class ChartData:
    """The catalogue and values of one report year, per indicator: its current gap row, its
    labels and the frames its charts draw."""

    def __init__(self, inputs: ReportInputs, year: int) -> None:
        self.inputs, self.year = inputs, year
        self.ind = inputs.indicators.set_index("indicator_id")
        self.names = inputs.geographies.set_index("geography_code")["geography_name"]
        self.rows = current_rows(inputs.gaps, year)
        geo = inputs.geographies
        self.lan_codes = set(geo.loc[geo["level"].eq("lan"), "geography_code"])
        self.kommun_codes = set(
            geo.loc[
                geo["lan_code"].eq(inputs.region_code) & geo["level"].eq("kommun"),
                "geography_code",
            ]
        )

    def row(self, indicator_id: str) -> pd.Series | None:
        return self.rows.loc[indicator_id] if indicator_id in self.rows.index else None

    def label(self, indicator_id: str) -> str:
        """The catalogue's short label: what tables, charts and statements call it."""
        return str(self.ind.loc[indicator_id, "short_label"])

    def unit(self, indicator_id: str) -> str:
        return str(self.ind.loc[indicator_id, "unit"])

    def is_total(self, indicator_id: str) -> bool:
        """A total (tonnes, hectares, inhabitants, mnkr) measures the place's size too."""
        return str(self.ind.loc[indicator_id].get("measure", "")) == TOTAL

    def side_by_side_id(self, indicator_id: str) -> str | None:
        """Whose values the side-by-side charts (län, kommuner) show for an indicator: its own,
        a total's per-inhabitant sibling, or none for a total without one."""
        if not self.is_total(indicator_id):
            return indicator_id
        sibling = self.ind.loc[indicator_id].get("comparison_indicator_id")
        if isinstance(sibling, str) and sibling in self.ind.index and not self.is_total(sibling):
            return sibling
        return None

    def _trend_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
        """The county and Riket (the county alone for a total), with the path from the baseline
        to a fixed target when there is one: the path the status is judged against, through
        the kontrollstationer (:func:`~orchestration.report.targets.path_points`)."""
        region = self.inputs.region_code
        shown = [region] if self.is_total(indicator_id) else [self.inputs.riket_code, region]
        trend = v[(v["sex"] == "T") & v["geography_code"].isin(shown)].copy()
        trend["serie"] = trend["geography_code"].map(self.names)
        trend = trend[["serie", "year", "value", "is_synthetic"]]
        r = self.row(indicator_id)
        if r is None or r.get("target_type") not in ("absolute", "relative"):
            return trend
        points = path_points(r.to_dict())
        if points:
            years, values = zip(*points, strict=True)
            path = pd.DataFrame(
                {
                    "serie": f"{TARGET_PATH} {int(r['target_year'])}",
                    "year": list(years),
                    "value": list(values),
                    "is_synthetic": False,
                }
            )
            trend = pd.concat([trend, path], ignore_index=True)
        return trend

    def _kommun_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame | None:
        """The county's kommuner (with Riket and the county) in their latest year, best first."""
        tot = v[v["sex"] == "T"]
        kommun = tot[tot["geography_code"].isin(self.kommun_codes)]
        if kommun["geography_code"].nunique() < 3:
            return None
        shown = self.kommun_codes | {self.inputs.riket_code, self.inputs.region_code}
        latest = tot["year"] == int(kommun["year"].max())
        k = tot[latest & tot["geography_code"].isin(shown)].copy()
        k["kind"] = k["geography_code"].map(
            lambda c: "kommun" if c in self.kommun_codes else "benchmark"
        )
        k["geography_name"] = k["geography_code"].map(self.names)
        sign = int(self.ind.loc[indicator_id, "direction_sign"])
        k = k.sort_values(["value", "geography_name"], ascending=[sign < 0, True])
        return k[["geography_name", "kind", "year", "value", "is_synthetic"]]

    def _lan_frame(self, v: pd.DataFrame, indicator_id: str) -> pd.DataFrame | None:
        """Every län in the latest year the county has a value, best first, with Riket."""
        region = self.inputs.region_code
        tot = v[v["sex"] == "T"]
        county = tot[tot["geography_code"] == region]
        if county.empty:
            return None
        year = int(county["year"].max())
        riket = self.inputs.riket_code
        lan_codes = self.lan_codes | {riket}
        k = tot[(tot["year"] == year) & tot["geography_code"].isin(lan_codes)].copy()
        if (k["geography_code"] != riket).sum() < MIN_LAN_CHARTED:
            return None
        k["kind"] = k["geography_code"].map(
            lambda c: "riket" if c == riket else "county" if c == region else "lan"
        )
        k["geography_name"] = k["geography_code"].map(self.names)
        sign = int(self.ind.loc[indicator_id, "direction_sign"])
        k = k.sort_values(["value", "geography_name"], ascending=[sign < 0, True])
        return k[["geography_name", "kind", "year", "value", "is_synthetic"]]

    def _values(self, indicator_id: str) -> pd.DataFrame:
        v = self.inputs.values
        return v[(v["indicator_id"] == indicator_id) & (v["year"] <= self.year)].dropna(
            subset=["value"]
        )

    def figure_frames(self, indicator_id: str) -> dict[str, pd.DataFrame]:
        """The frames of an indicator's charts, in the order they are shown. Without a value for
        the county the trend shows Riket alone, titled so (:meth:`_figures`); the side-by-side
        charts show :meth:`side_by_side_id`'s values."""
        v = self._values(indicator_id)
        frames: dict[str, pd.DataFrame] = {}
        trend = self._trend_frame(v, indicator_id)
        if trend["serie"].isin([self.inputs.region_name, "Riket"]).any():
            frames["trend"] = trend.sort_values(["serie", "year"])
        side = self.side_by_side_id(indicator_id)
        sv = self._values(side) if side is not None else None
        lan = self._lan_frame(sv, side) if side is not None else None
        if lan is not None:
            frames["lan"] = lan
        sexes = v[(v["sex"].isin(["K", "M"])) & (v["geography_code"] == self.inputs.region_code)]
        if sexes["year"].nunique() >= 2:
            sexes = sexes.assign(serie=sexes["sex"].map(SEX_NAMES))
            frames["kon"] = sexes[["serie", "year", "value", "is_synthetic"]].sort_values(
                ["serie", "year"]
            )
        kommuner = self._kommun_frame(sv, side) if side is not None else None
        if kommuner is not None:
            frames["kommuner"] = kommuner
        return frames

    def _alt(self, kind: str, frame: pd.DataFrame, measured_id: str) -> str:
        """The figure's description for screen readers and the Markdown image."""
        label, unit = self.label(measured_id), self.unit(measured_id)
        region = self.inputs.region_name
        if kind in ("trend", "kon"):
            series = frame.get("serie", pd.Series("", index=frame.index)).astype(str)
            observed = frame[~series.str.startswith(TARGET_PATH)]
            years = f"{int(observed['year'].min())}–{int(observed['year'].max())}"
            latest = [
                f"{name} {fmt_unit(g.sort_values('year')['value'].iloc[-1], unit)} "
                f"({int(g['year'].max())})"
                for name, g in observed.groupby("serie", sort=True)
            ]
            text = f"Linjediagram över {label} {years}. Senaste värden: {'; '.join(latest)}"
            path = frame[series.str.startswith(TARGET_PATH)]
            if len(path):
                end = path.sort_values("year").iloc[-1]
                text += f". Målbana till {int(end['year'])}: {fmt_unit(end['value'], unit)}"
            return text + "."
        year = int(frame["year"].max())
        if kind == "lan":
            bars = frame[frame["kind"] != "riket"].reset_index(drop=True)
            text = f"Stapeldiagram över {label} i rikets {len(bars)} län {year}, bäst först"
            county = bars.index[bars["kind"] == "county"]
            if len(county):
                c = bars.loc[county[0]]
                text += f": {region} på plats {county[0] + 1} med {fmt_unit(c['value'], unit)}"
        else:
            bars = frame[frame["kind"] == "kommun"].reset_index(drop=True)
            first, last = bars.iloc[0], bars.iloc[-1]
            text = (
                f"Stapeldiagram över {label} i länets {len(bars)} kommuner {year}, bäst först: "
                f"{first['geography_name']} {fmt_unit(first['value'], unit)}, "
                f"{last['geography_name']} {fmt_unit(last['value'], unit)}"
            )
        benchmarks = frame[frame["kind"].isin(["riket", "benchmark"])]
        for b in benchmarks.itertuples():
            text += f"; {b.geography_name} {fmt_unit(b.value, unit)}"
        return text + "."
