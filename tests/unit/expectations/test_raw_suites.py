"""One raw suite factory serves both sources: the same checks, each under the column names the
source's landed table keeps (raw is append-only; staging conforms the names)."""

from __future__ import annotations

import pytest

from expectations.suites import raw_kolada, tables
from expectations.suites.raw import KOLADA, SCB, SUITES, RawContext, RawSuite
from expectations.volume import FetchVolume
from ingest.landing import KOLADA_VALUES_SCHEMA, SCB_VALUES_SCHEMA

FETCH = FetchVolume(mode="full", fetched_rows=900, previous_load_id="L1", previous_rows=1000)
CTX = RawContext(
    series_scales={"X": "percent"}, geography_codes=frozenset({"0018"}), last_year=2026, fetch=FETCH
)


def shape(suite: RawSuite) -> list[tuple[str, str | None]]:
    """Each expectation's type and the conformed concept it is on (source names mapped back)."""
    m = suite.mapping
    conformed = {m.source_series_id: "source_series_id", m.geography_code: "geography_code"}
    conformed[m.sex] = "sex"
    out = []
    for e in suite.build(CTX):
        column = getattr(e, "column", None) or ",".join(getattr(e, "column_list", None) or [])
        out.append((type(e).__name__, ",".join(conformed.get(c, c) for c in column.split(","))))
    return out


def test_both_sources_get_the_same_expectations_in_the_same_order():
    assert shape(KOLADA) == shape(SCB)
    assert ("ExpectCompoundColumnsToBeUnique", "source_series_id,geography_code,year,sex") in (
        shape(KOLADA)
    )


@pytest.mark.parametrize(
    ("source", "name", "schema", "key"),
    [
        ("kolada", tables.RAW_KOLADA, KOLADA_VALUES_SCHEMA, "kpi_id municipality_id year gender"),
        ("scb", tables.RAW_SCB, SCB_VALUES_SCHEMA, "series_id region_code year sex"),
    ],
    ids=["kolada", "scb"],
)
def test_each_source_keeps_its_landed_column_names(source, name, schema, key):
    suite = SUITES[source]
    assert suite.name == name
    assert list(suite.mapping.columns) == schema.names
    assert suite.key == key.split()
    (columns,) = [e for e in suite.build(CTX) if type(e).__name__ == "ExpectTableColumnsToMatchSet"]
    assert columns.column_set == [*schema.names, "scale"]


def test_the_former_kolada_module_is_the_factory_made_for_kolada():
    ctx = raw_kolada.RawKoladaContext(
        kpi_scales={"X": "percent"}, geography_codes=frozenset({"0018"}), last_year=2026
    )
    assert ctx == RawContext(
        series_scales={"X": "percent"}, geography_codes=frozenset({"0018"}), last_year=2026
    )
    assert (KOLADA.name, KOLADA.key) == (raw_kolada.NAME, raw_kolada.KEY)
    assert [e.json() for e in raw_kolada.build(ctx)] == [e.json() for e in KOLADA.build(ctx)]
