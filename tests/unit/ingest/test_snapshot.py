"""The bundled snapshot is exactly what its builder makes; every value says where it came from."""

from __future__ import annotations

import csv
import io

from ingest import snapshot
from ingest.snapshot import build


def test_the_committed_snapshot_is_reproduced_by_the_builder():
    rows, _ = build.build()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    assert out.getvalue() == (snapshot.KOLADA_DIR / "values.csv").read_text(encoding="utf-8")


def test_the_readme_counts_match_the_snapshot():
    _, counts = build.build()
    readme = (snapshot.SNAPSHOT_DIR / "README.md").read_text(encoding="utf-8")
    assert build.counts_markdown(counts) in readme


def test_every_value_is_either_real_with_a_source_or_flagged_synthetic():
    for row in snapshot.read_csv("values.csv"):
        if row["is_synthetic"] == "true":
            assert row["provenance"].startswith("synthetic:"), row
        else:
            assert row["is_synthetic"] == "false", row
            assert "@" in row["provenance"] and ":" in row["provenance"], row


def test_real_values_are_served_unchanged_and_the_newest_vintage_wins():
    real: dict[tuple[str, str, int], str] = {}
    ranks: dict[tuple[str, str, int], int] = {}
    with (build.SOURCES / "kolada_values_real.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = (r["series_id"], r["geography_code"], int(r["year"]))
            rank = build.vintage_rank(r["provenance"])
            if key not in real or rank < ranks[key]:
                real[key], ranks[key] = r["value"], rank
    served = [r for r in snapshot.read_csv("values.csv") if r["is_synthetic"] == "false"]
    assert served
    for row in served:
        source_value = real[(row["kpi"], row["municipality"], int(row["period"]))]
        if source_value == "nan":
            assert row["value"] == ""
        else:
            assert float(row["value"]) == float(source_value)
    # Lindesberg's GRP 2021 was revised between rKolada's 2024-04 and 2026-03 snapshots.
    lindesberg = [
        r
        for r in served
        if (r["kpi"], r["municipality"], r["period"]) == ("N03702", "1885", "2021")
    ]
    assert [r["value"] for r in lindesberg] == ["424.643024"]
