"""How the report prints figures: plain Swedish numbers (decimal comma, a no-break space between
thousands, a real minus sign), three significant digits, never e-notation; and the words around
them (plural forms, sources, dates)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method.numbers import count, fmt, fmt_unit
from orchestration.report.formatting import (
    genitive,
    place,
    source_label,
    source_path,
    swedish_datetime,
)

SP = "\u00a0"  # the no-break space between thousands
E_NOTATION = re.compile(r"\d[eE][+-]?\d")


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (1.17e6, f"1{SP}170{SP}000"),
        (1_173_942.7, f"1{SP}170{SP}000"),
        (45_116_576.3, f"45{SP}100{SP}000"),
        (2020.4, f"2{SP}020"),
        (0.000123, "0,000123"),
        (-1234.5, f"−1{SP}230"),
        (-0.0004, "−0,0004"),
        (85.63, "85,6"),
        (5.92, "5,92"),
        (0.97, "0,97"),
        (99.96, "100"),
        (100.0, "100"),
        (3.0, "3"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e-9, "0,000000001"),
        (304_805, f"304{SP}805"),  # an integer prints whole
        (np.float64(1.17e6), f"1{SP}170{SP}000"),
        (np.int64(12_000), f"12{SP}000"),
    ],
)
def test_a_figure_prints_as_a_plain_swedish_number(value, printed):
    assert fmt(value) == printed
    assert not E_NOTATION.search(fmt(value))


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, np.nan])
def test_no_figure_is_a_dash(value):
    assert fmt(value) == "–"


def test_digits_are_significant_digits_but_the_integer_part_is_kept():
    assert fmt(1234.5678, 6) == f"1{SP}234,57"
    assert fmt(0.58123, 2) == "0,58"
    assert fmt(123_456.0, 2) == f"120{SP}000"


def test_no_e_notation_across_magnitudes():
    for exponent in range(-12, 16):
        for mantissa in (1.0, 1.17, -2.5, 9.999):
            text = fmt(mantissa * 10**exponent)
            assert not E_NOTATION.search(text), text
            assert "." not in text, text


def test_a_figure_with_its_unit():
    assert fmt_unit(85.6, "andel (%)") == "85,6 %"
    assert fmt_unit(1.17e6, "ton CO2-ekv") == f"1{SP}170{SP}000 ton CO2-ekv"
    assert fmt_unit(None, "ton") == "–"


def test_plural_forms():
    assert count(1, "värde", "värden") == "1 värde"
    assert count(2, "värde", "värden") == "2 värden"
    assert count(0, "värde", "värden") == "0 värden"


def test_places_sources_and_dates_for_readers():
    assert place(3, 12) == "3 av 12" and place(None, 12) == "–"
    series = "AM/AM0210/AM0210D/ArRegArbStatus|ContentsCode=ArbLoshet|Alder=16-64"
    assert source_label("scb", series) == "SCB ArRegArbStatus"
    assert source_path("scb", series) == "SCB AM/AM0210/AM0210D/ArRegArbStatus"
    assert source_label("scb", "NR/NR0105/NR0105A/NR0105ENS2010T01A/ContentsCode=NR0105AH") == (
        "SCB NR0105ENS2010T01A"
    )
    assert source_label("kolada", "N07900") == "Kolada N07900"
    # A ratio computed in dbt names its two inputs' series.
    assert source_label("ratio", "N45941/NR0105AH") == "beräknad: N45941 ÷ NR0105AH"
    assert source_path("ratio", "N45941/NR0105AH") == "beräknad: N45941 ÷ NR0105AH"
    assert swedish_datetime("2026-12-05 09:07:01") == "5 december 2026 kl. 09.07"
    assert genitive("Region Örebro län") == "Region Örebro läns"
    assert genitive("Region Dalarnas") == "Region Dalarnas"
