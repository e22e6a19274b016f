"""Charts for the follow-up report: Vega-Lite specs (Altair) rendered to SVG offline (vl-convert).

Each function takes the tidy frame it draws and returns (svg, frame): the same frame is offered
beside the chart as CSV, so every figure can be checked or reused.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import vl_convert

WIDTH, HEIGHT = 420, 200
COUNTY_COLOUR, RIKET_COLOUR, TARGET_COLOUR = "#00566b", "#9a9a9a", "#c0392b"
COUNTY_RULE_COLOUR = "#e67e22"
SEX_COLOURS = {"Kvinnor": "#8e44ad", "Män": "#16a085"}


MAX_SIDE_PX = 4000


def unvalidated(build: Callable[..., str]) -> Callable[..., str]:
    """Build a chart without Altair's JSON-schema validation of every object (half the
    report's time). The specs' shapes are fixed by this module; the unit tests render each
    kind with validation on (``VALIDATE = True``)."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with alt.utils.schemapi.debug_mode(VALIDATE):
            return build(*args, **kwargs)

    return wrapper


VALIDATE = False


def _svg(chart: alt.TopLevelMixin) -> str:
    """Render offline; a chart whose layout is absurd (Vega gives 1.8e308 px for some empty
    layers) is an error naming its title, never a page 33 million pixels tall."""
    spec = chart.to_dict(validate=VALIDATE)
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    match = re.search(r'<svg[^>]*\bwidth="([^"]+)"[^>]*\bheight="([^"]+)"', svg)
    if not match or max(float(match.group(1)), float(match.group(2))) > MAX_SIDE_PX:
        title = spec.get("title", "?")
        size = match.groups() if match else "unknown"
        raise ValueError(
            f"chart {title!r} rendered at an absurd size {size}; expected ≤ {MAX_SIDE_PX} px"
        )
    return svg


def _line_chart(frame: pd.DataFrame, title: str, unit: str, colours: dict[str, str]) -> str:
    """Lines per ``serie`` over ``year``; a serie named "Målbana …" is dashed."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="År"),
            y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "serie:N",
                title=None,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.condition(
                "indexof(datum.serie, 'Målbana') === 0", alt.value([6, 4]), alt.value([1, 0])
            ),
            tooltip=["serie:N", "year:O", alt.Tooltip("value:Q", format=".4~g")],
        )
        .properties(width=WIDTH, height=HEIGHT, title=title)
    )
    return _svg(chart)


@unvalidated
def trend_chart(frame: pd.DataFrame, title: str, unit: str) -> str:
    """The county and Riket over ``year``, and the target path (dashed)."""
    colours = {
        s: (
            TARGET_COLOUR
            if s.startswith("Målbana")
            else RIKET_COLOUR
            if s == "Riket"
            else COUNTY_COLOUR
        )
        for s in frame["serie"].unique()
    }
    return _line_chart(frame, title, unit, colours)


@unvalidated
def sex_chart(frame: pd.DataFrame, title: str, unit: str) -> str:
    """Women and men over ``year``."""
    return _line_chart(frame, title, unit, SEX_COLOURS)


@unvalidated
def kommun_chart(frame: pd.DataFrame, title: str, unit: str) -> str:
    """Bars per kommun (``geography_name``), best first; the county and Riket, when the series
    has them, as rules."""
    bars = frame[frame["kind"] == "kommun"]
    rules = frame[frame["kind"] != "kommun"]
    chart: alt.TopLevelMixin = (
        alt.Chart(bars)
        .mark_bar(color=COUNTY_COLOUR, opacity=0.8)
        .encode(
            y=alt.Y("geography_name:N", title=None, sort=list(bars["geography_name"])),
            x=alt.X("value:Q", title=unit),
        )
    )
    if len(rules):  # an empty layer makes Vega lay the chart out infinitely large
        chart = chart + alt.Chart(rules).mark_rule(strokeDash=[4, 3]).encode(
            x="value:Q",
            color=alt.Color(
                "geography_name:N",
                title=None,
                scale=alt.Scale(
                    domain=list(rules["geography_name"]),
                    range=[
                        RIKET_COLOUR if name == "Riket" else COUNTY_RULE_COLOUR
                        for name in rules["geography_name"]
                    ],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    return _svg(chart.properties(width=WIDTH, height=16 * max(len(bars), 3), title=title))


@unvalidated
def lan_chart(frame: pd.DataFrame, title: str, unit: str) -> str:
    """All län (``geography_name``) as bars, best first, the county (``kind`` "county") in its
    own colour, and Riket (``kind`` "riket") as a dashed rule: Region Dalarna's side-by-side."""
    bars = frame[frame["kind"] != "riket"]
    riket = frame[frame["kind"] == "riket"]
    chart: alt.TopLevelMixin = (
        alt.Chart(bars)
        .mark_bar()
        .encode(
            y=alt.Y("geography_name:N", title=None, sort=list(bars["geography_name"])),
            x=alt.X("value:Q", title=unit),
            color=alt.condition(
                "datum.kind === 'county'", alt.value(COUNTY_RULE_COLOUR), alt.value(COUNTY_COLOUR)
            ),
            tooltip=["geography_name:N", alt.Tooltip("value:Q", format=".4~g")],
        )
    )
    if len(riket):  # an empty layer makes Vega lay the chart out infinitely large
        chart = chart + alt.Chart(riket).mark_rule(strokeDash=[4, 3], color=RIKET_COLOUR).encode(
            x="value:Q", tooltip=["geography_name:N", alt.Tooltip("value:Q", format=".4~g")]
        )
    return _svg(chart.properties(width=WIDTH, height=14 * max(len(bars), 3), title=title))
