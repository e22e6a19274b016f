"""Charts for the follow-up report: Vega-Lite specs (Altair) rendered to SVG offline (vl-convert).

Each function takes the tidy frame it draws and returns the SVG; the report offers the same frame
beside the chart as CSV, so every figure can be checked or reused.

Three rules hold for every chart:

* **Numbers in Swedish.** Axis labels use the sv-SE number locale ("1 170 000", "0,5"), never
  e-notation.
* **Labels never cut.** vl-convert measures text with its own font (Liberation Sans, Arial's
  metrics) while a reader's browser may draw a wider one (DejaVu Sans on many Linux desktops):
  the category axes therefore reserve room for their longest label in a *wide* font
  (:func:`label_extent`) instead of trusting the measurement.
* **An honest y-axis** (:func:`y_scale`): a line chart of a measure that cannot be negative starts
  at zero, so 69 → 76 looks like the 10 % it is; a measure with negative values gets a span of
  at least a fifth of its largest magnitude, so noise does not fill the chart.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence

import altair as alt
import pandas as pd
import vl_convert

from orchestration.report.series_breaks import SeriesBreak

WIDTH, HEIGHT = 440, 220  # line charts' plot area
BAR_WIDTH, BAR_STEP = 330, 16  # bar charts: plot width, px per bar
COUNTY_COLOUR, RIKET_COLOUR, TARGET_COLOUR = "#00566b", "#767676", "#c0392b"
COUNTY_RULE_COLOUR = "#d35400"
OTHER_LAN_COLOUR = "#6f9fab"
BREAK_COLOUR = "#555555"
SEX_COLOURS = {"Kvinnor": "#8e44ad", "Män": "#16a085"}
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
LABEL_SIZE, TITLE_SIZE = 11, 13
# Width of a character in the widest common sans (DejaVu Sans/Verdana), in em: ~0.55 on average
# for Swedish place names; bold ~0.62. Rounded up, so a label fits in any font a reader has.
EM_PER_CHAR, EM_PER_CHAR_BOLD = 0.62, 0.70
LEGEND_GAP = 30  # px between legend entries: room for a label drawn wider than measured
MIN_SPAN = 0.2  # y-axis of a series with negative values: at least 20 % of its largest |value|

MAX_SIDE_PX = 4000
NUMBER_LOCALE = "sv-SE"


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


def _configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The report's look: one font stack, readable sizes, no generated ARIA texts (they read
    "geography_name: …"; the report gives each figure its own description)."""
    return (
        chart.configure(font=FONT, aria=False)
        .configure_axis(
            labelFontSize=LABEL_SIZE, titleFontSize=LABEL_SIZE, titleFontWeight="normal"
        )
        .configure_axisX(labelSeparation=8)
        .configure_legend(labelFontSize=LABEL_SIZE, labelLimit=0, columnPadding=LEGEND_GAP)
        .configure_title(fontSize=TITLE_SIZE, anchor="start", offset=8)
        .configure_view(stroke=None)
    )


def _svg(chart: alt.TopLevelMixin) -> str:
    """Render offline; a chart whose layout is absurd (Vega gives 1.8e308 px for some empty
    layers) is an error naming its title, never a page 33 million pixels tall."""
    spec = _configured(chart).to_dict(validate=VALIDATE)
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[], format_locale=NUMBER_LOCALE)
    match = re.search(r'<svg[^>]*\bwidth="([^"]+)"[^>]*\bheight="([^"]+)"', svg)
    if not match or max(float(match.group(1)), float(match.group(2))) > MAX_SIDE_PX:
        title = spec.get("title", "?")
        size = match.groups() if match else "unknown"
        raise ValueError(
            f"chart {title!r} rendered at an absurd size {size}; expected ≤ {MAX_SIDE_PX} px"
        )
    return svg


# -- rules ------------------------------------------------------------------------------------
def label_extent(labels: Iterable[str], bold: Iterable[str] = (), size: int = LABEL_SIZE) -> int:
    """Pixels a category axis reserves for its labels: the longest label in a wide font, so no
    browser font cuts it ("ästra Götalands län")."""
    bold = set(bold)
    widths = [
        len(str(label)) * (EM_PER_CHAR_BOLD if label in bold else EM_PER_CHAR) * size
        for label in labels
    ]
    return math.ceil(max(widths, default=0))


def y_scale(values: Iterable[float]) -> alt.Scale:
    """The y-axis rule of the line charts (see the module docstring): zero included for a
    measure without negative values; otherwise a span of at least ``MIN_SPAN`` of the largest
    magnitude, centred on the values."""
    vs = [float(v) for v in values if v is not None and not pd.isna(v)]
    if not vs or min(vs) >= 0:
        return alt.Scale(zero=True, nice=True)
    lo, hi = min(vs), max(vs)
    need = MIN_SPAN * max(abs(lo), abs(hi))
    if hi - lo < need:
        mid = (hi + lo) / 2
        lo, hi = mid - need / 2, mid + need / 2
    return alt.Scale(zero=False, nice=True, domain=[lo, hi])


def value_label_extent(values: Iterable[float], size: int = LABEL_SIZE) -> int:
    """Pixels a value axis reserves for its tick labels ("70 000 000", "−0,5"), in a wide font:
    one more digit than the largest value has (a nice axis may round up to it)."""
    vs = [abs(float(v)) for v in values if v is not None and not pd.isna(v)]
    top = max(vs, default=0.0)
    digits = len(str(int(top * 1.25))) if top >= 1 else 1
    chars = digits + (digits - 1) // 3 + (2 if top < 10 else 0)
    if any(float(v) < 0 for v in values if v is not None and not pd.isna(v)):
        chars += 1
    return math.ceil(chars * EM_PER_CHAR * size) + 6


def _year_axis(years: Sequence[int]) -> alt.X:
    lo, hi = int(min(years)), int(max(years))
    return alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[lo, hi] if hi > lo else [lo - 1, hi + 1], nice=False, zero=False),
        axis=alt.Axis(format="d", tickMinStep=1, tickCount=min(max(hi - lo, 1), 8), labelAngle=0),
    )


def _break_layers(breaks: Sequence[SeriesBreak], years: Sequence[int]) -> list[alt.Chart]:
    """A dashed rule between the two years of each break, labelled "Tidsseriebrott" on the
    side with more room."""
    lo, hi = min(years), max(years)
    layers: list[alt.Chart] = []
    for b in breaks:
        x = (b.last_year_before + b.first_year_after) / 2
        left = x < (lo + hi) / 2
        at = alt.Chart(pd.DataFrame({"year": [x], "label": ["Tidsseriebrott"]}))
        layers += [
            at.mark_rule(color=BREAK_COLOUR, strokeDash=[2, 3], strokeWidth=1.5).encode(x="year:Q"),
            at.mark_text(
                align="left" if left else "right",
                baseline="bottom",
                dx=-6 if left else 6,
                fontSize=10,
                color=BREAK_COLOUR,
            ).encode(x="year:Q", y=alt.value(-3), text="label:N"),
        ]
    return layers


def _line_chart(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    colours: dict[str, str],
    breaks: Sequence[SeriesBreak] = (),
) -> str:
    """Lines per ``serie`` over ``year``; a serie named "Målbana …" is dashed."""
    years = [int(y) for y in frame["year"]]
    lines = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=_year_axis(years),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=y_scale(frame["value"]),
                axis=alt.Axis(minExtent=value_label_extent(frame["value"])),
            ),
            color=alt.Color(
                "serie:N",
                title=None,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            strokeDash=alt.condition(
                "indexof(datum.serie, 'Målbana') === 0", alt.value([6, 4]), alt.value([1, 0])
            ),
        )
    )
    chart = alt.layer(lines, *_break_layers(breaks, years))
    heading = alt.Title(title, subtitle=unit, subtitleFontSize=LABEL_SIZE, subtitleColor="#444")
    return _svg(chart.properties(width=WIDTH, height=HEIGHT, title=heading))


@unvalidated
def trend_chart(
    frame: pd.DataFrame, title: str, unit: str, breaks: Sequence[SeriesBreak] = ()
) -> str:
    """The county (and Riket, when the frame has it) over ``year``, and the target path
    (dashed); known series breaks as dashed rules."""
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
    return _line_chart(frame, title, unit, colours, breaks)


@unvalidated
def sex_chart(
    frame: pd.DataFrame, title: str, unit: str, breaks: Sequence[SeriesBreak] = ()
) -> str:
    """Women and men over ``year``."""
    return _line_chart(frame, title, unit, SEX_COLOURS, breaks)


def _category_axis(names: Sequence[str], bold: Iterable[str] = ()) -> alt.Axis:
    """A bar chart's axis of places whose labels always fit (:func:`label_extent`); ``bold``:
    the labels to set in bold (the county)."""
    bold = [b for b in bold if b in set(names)]
    extent = label_extent(names, bold)
    weight: dict | str = "normal"
    if bold:
        names_js = ", ".join(f"'{b}'" for b in bold)
        weight = {
            "condition": {"test": f"indexof([{names_js}], datum.value) >= 0", "value": "bold"},
            "value": "normal",
        }
    return alt.Axis(
        labelLimit=extent + 8,
        minExtent=extent + 8,
        labelPadding=4,
        labelFontWeight=weight,
        ticks=False,
        domain=False,
    )


@unvalidated
def kommun_chart(frame: pd.DataFrame, title: str, unit: str) -> str:
    """Bars per kommun (``geography_name``), best first; the county and Riket, when the series
    has them, as rules."""
    bars = frame[frame["kind"] == "kommun"]
    rules = frame[frame["kind"] != "kommun"]
    names = [str(n) for n in bars["geography_name"]]
    chart: alt.TopLevelMixin = (
        alt.Chart(bars)
        .mark_bar(color=COUNTY_COLOUR, opacity=0.85)
        .encode(
            y=alt.Y("geography_name:N", title=None, sort=names, axis=_category_axis(names)),
            x=alt.X("value:Q", title=unit, axis=alt.Axis(tickCount=5)),
        )
    )
    if len(rules):  # an empty layer makes Vega lay the chart out infinitely large
        chart = chart + alt.Chart(rules).mark_rule(strokeDash=[4, 3], strokeWidth=2).encode(
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
                legend=alt.Legend(orient="bottom", direction="horizontal", symbolType="stroke"),
            ),
        )
    height = BAR_STEP * max(len(bars), 3)
    return _svg(chart.properties(width=BAR_WIDTH, height=height, title=title))


@unvalidated
def lan_chart(frame: pd.DataFrame, title: str | list[str], unit: str) -> str:
    """All län (``geography_name``) as bars, best first, the county (``kind`` "county") in its
    own colour and bold, and Riket (``kind`` "riket") as a dashed rule: Region Dalarna's
    side-by-side. ``title``: one line, or a list of lines."""
    bars = frame[frame["kind"] != "riket"]
    riket = frame[frame["kind"] == "riket"]
    names = [str(n) for n in bars["geography_name"]]
    county = [str(n) for n in bars.loc[bars["kind"] == "county", "geography_name"]]
    chart: alt.TopLevelMixin = (
        alt.Chart(bars)
        .mark_bar()
        .encode(
            y=alt.Y("geography_name:N", title=None, sort=names, axis=_category_axis(names, county)),
            x=alt.X("value:Q", title=unit, axis=alt.Axis(tickCount=5)),
            color=alt.condition(
                "datum.kind === 'county'", alt.value(COUNTY_RULE_COLOUR), alt.value(COUNTY_COLOUR)
            ),
        )
    )
    if len(riket):  # an empty layer makes Vega lay the chart out infinitely large
        chart = chart + alt.Chart(riket).mark_rule(
            strokeDash=[4, 3], strokeWidth=2, color=RIKET_COLOUR
        ).encode(
            x="value:Q",
            color=alt.Color(
                "geography_name:N",
                title=None,
                scale=alt.Scale(domain=["Riket"], range=[RIKET_COLOUR]),
                legend=alt.Legend(orient="bottom", symbolType="stroke"),
            ),
        )
    height = BAR_STEP * max(len(bars), 3)
    return _svg(chart.properties(width=BAR_WIDTH, height=height, title=title))
