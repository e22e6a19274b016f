"""The catalogue's SCB series id grammar: ``<table>|<Var>=<code>[|<Var>=<code>...]``."""

from __future__ import annotations

import pytest

from ingest.pxweb.series import ScbSeries, parse_series_id

CATALOGUE_SERIES = [
    "AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2",
    "AM/AM9906/AM9906A/RegionInd19M2N|Grupp=totalt",
    "MI/MI1301/MI1301B/UtslappLan|ContentsCode=0000015P",
    "NR/NR0105/NR0105A/NR0105ENS2010T01A|ContentsCode=NR0105AH",
    "ME/ME0105/ME0105C/ME0105T28|ContentsCode=valdeltagande|Alder=samtliga",
]


def test_parse_series_id_reads_a_v1_table_path_and_its_fixed_codes_in_order():
    series = parse_series_id("AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2")
    assert series == ScbSeries(
        raw="AM/AM0210/AM0210A/ArbStatusAr|ContentsCode=000006J1|Kon=1+2",
        table="AM/AM0210/AM0210A/ArbStatusAr",
        api="v1",
        fixed=(("ContentsCode", "000006J1"), ("Kon", "1+2")),
    )
    assert series.fixed_code("Kon") == "1+2"
    assert series.fixed_code("Alder") is None


def test_parse_series_id_reads_a_v2_table_id():
    series = parse_series_id("TAB6471|ContentsCode=000007SF|Alder=0-9")
    assert (series.table, series.api) == ("TAB6471", "v2")
    assert dict(series.fixed) == {"ContentsCode": "000007SF", "Alder": "0-9"}


@pytest.mark.parametrize("text", CATALOGUE_SERIES)
def test_parse_series_id_accepts_every_catalogue_series(text):
    series = parse_series_id(text)
    assert series.api == "v1"
    assert series.raw == text
    assert "|".join([series.table, *(f"{v}={c}" for v, c in series.fixed)]) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" TAB6471|ContentsCode=X", "whitespace"),
        ("AM/AM0210/AM0210A/ArbStatusAr", "no '<Var>=<code>' pair"),
        ("AM//ArbStatusAr|ContentsCode=X", "table 'AM//ArbStatusAr' is malformed"),
        ("TAB-6471|ContentsCode=X", "table 'TAB-6471' is malformed"),
        ("TAB6471|ContentsCode", "'ContentsCode' is not '<Var>=<code>'"),
        ("TAB6471|ContentsCode=", "is not '<Var>=<code>'"),
        ("TAB6471|=X", "is not '<Var>=<code>'"),
        ("TAB6471|1Kon=1", "is not '<Var>=<code>'"),
        ("TAB6471|Kon=1|Kon=2", "'Kon' is fixed twice"),
        ("TAB6471|Region=18", "'Region' cannot be fixed"),
        ("TAB6471|Tid=2020", "'Tid' cannot be fixed"),
    ],
    ids=[
        "empty",
        "whitespace",
        "no-pairs",
        "empty-path-segment",
        "bad-table-id",
        "no-equals",
        "empty-code",
        "empty-variable",
        "variable-starts-with-digit",
        "repeated-variable",
        "region-fixed",
        "time-fixed",
    ],
)
def test_parse_series_id_rejects_a_malformed_id_naming_the_text_and_the_grammar(text, message):
    with pytest.raises(ValueError, match=message) as err:
        parse_series_id(text)
    assert repr(text) in str(err.value)
    if text:
        assert "expected" in str(err.value) or "twice" in str(err.value)
