"""The bench section on Kolada's id limit does not rot: at 0 ms latency, its three fetches land
the same values and the table names requests and refusals (no timing is asserted)."""

from __future__ import annotations

import pytest

from benchmarks.limits import MAX_IDS, id_limit_cost
from benchmarks.results import render

pytestmark = pytest.mark.integration


def test_the_id_limit_section_compares_the_limited_fetches_with_the_unlimited(replay, tmp_path):
    figures, details = id_limit_cost(tmp_path / "replay-limit", replay.url, 0.0)
    runs = list(details.values())
    assert [r["refused"] > 0 for r in runs] == [False, True, False]
    assert len({r["values"] for r in runs}) == 1 and runs[0]["values"] > 0
    assert runs[0]["requests"] < runs[2]["requests"] < runs[1]["requests"]
    assert all(n <= MAX_IDS for n in runs[1]["sizes"].values())
    table = render(figures)
    assert f"kolada id limit {MAX_IDS} (0 ms)" in table and "first load: requests" in table
    assert next(f for f in figures if f.name == "same values as unlimited").met is True
