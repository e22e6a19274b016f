"""make bench does not rot: a smoke-size run of it, and its pure parts."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.floor import DOCUMENTED, POLITENESS_LIVE, POLITENESS_REPLAY, Limits, floor_s
from benchmarks.pipeline import split_stages, stage_of
from benchmarks.results import at_least, at_most, render
from tests.conftest import REPO_ROOT


def test_the_floor_is_requests_times_latency_over_concurrency_and_the_rate_limit():
    assert floor_s(12, 0.05, Limits(4)) == pytest.approx(0.15)  # 3 rounds of 4
    assert floor_s(13, 0.05, Limits(4)) == pytest.approx(0.20)
    assert floor_s(12, 0.05, Limits(None)) == pytest.approx(0.05)  # all at once
    # SCB: 10 calls per 10 s; 25 requests = 3 windows, the last answer a latency later.
    assert floor_s(25, 0.05, Limits(1, 10, 10.0)) == pytest.approx(20.05)
    assert floor_s(8, 0.05, POLITENESS_LIVE["scb"]) == pytest.approx(0.40)
    assert floor_s(0, 0.05, DOCUMENTED["kolada"]) == 0.0
    assert POLITENESS_REPLAY["kolada"].calls is None  # no rate limit on loopback


def test_steps_fall_into_stages_and_the_rest_is_overhead():
    assert [stage_of(k) for k in ("raw_kolada", "raw_scb_values_raw_scb_values__gx")] == [
        "fetch",
        "validate",
    ]
    assert [stage_of(k) for k in ("rus_dbt_models", "gap_statements", "followup_report")] == [
        "dbt",
        "gaps",
        "report",
    ]
    stages = split_stages({"raw_kolada": 3.0, "rus_dbt_models": 5.0}, {"kolada": 1.0}, 10.0)
    assert (stages["fetch"], stages["land"], stages["dbt"], stages["overhead"]) == (
        2.0,
        1.0,
        5.0,
        2.0,
    )


def test_a_target_is_met_missed_or_not_measured():
    assert at_most("s", "wall", 9.0, 10, "s").met is True
    assert at_least("s", "x", 1.2, 5, "×").met is False
    assert at_most("s", "wall", math.nan, 10, "s").met is False
    table = render([at_most("s", "wall", 11.0, 10, "s")])
    assert "MISSED" in table and "≤ 10 s" in table


def test_the_country_snapshot_is_every_geography_and_synthetic(tmp_path):
    from ingest.snapshot.country import write_country_snapshot

    snap = write_country_snapshot(tmp_path / "country", [2020])
    kolada = pq.read_table(snap.kolada_dir / "values.parquet")
    assert kolada.num_rows == len(set(kolada.column("kpi").to_pylist())) * 312 * 3
    assert set(kolada.column("is_synthetic").to_pylist()) == {True}
    scb = pq.read_table(snap.scb_dir / "values.parquet")
    assert len(set(scb.column("region_code").to_pylist())) == 312
    assert all(p.startswith("synthetic:") for p in set(scb.column("provenance").to_pylist()))


def test_make_bench_at_smoke_size_prints_and_writes_every_figure(first_run, tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--size",
            "smoke",
            "--only",
            "no_change",
            "peers",
            "gaps",
            "--reuse",
            str(first_run[0]),
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    by_name = {(f["section"], f["name"]): f for f in doc["figures"]}
    # The no-change night skipped the rebuild and left the publication as it was.
    assert by_name[("no-change night", "published files unchanged")]["met"] is True
    assert by_name[("no-change night", "skipped steps")]["value"] > 0
    assert "wall time" in {n for s, n in by_name if s == "no-change night"}
    # Every client fetched the same values; the floor stands beside the measured fetch.
    peers = doc["details"]["peers"]
    for source, timings in peers.items():
        assert len({t["values"] for t in timings}) == 1, (source, timings)
    assert ("floor kolada (no-change night)", "measured ÷ floor") in by_name
    assert by_name[("gap method (SYNTHETIC)", "values")]["value"] > 0
    # The table on stdout holds the same figures.
    assert (
        "no-change night" in proc.stdout
        and "speed-up over" in proc.stdout
        and "(0 ms)" in proc.stdout
    )
    assert Path(doc["meta"]["sections"][0]).name == "no_change"
