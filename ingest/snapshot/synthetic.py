"""Generated **synthetic** snapshots, for tests and benchmarks that need a shape real data lacks.

``write_synthetic(root, ...)`` writes a snapshot directory in the bundled one's layout: Kolada
values for the KPIs × geographies × years asked for (women and men where Kolada splits the KPI
by sex), and SCB values for every key the bundled SCB snapshot holds. Every value is generated
here, flagged ``is_synthetic=true`` with provenance ``synthetic:<generator>``, and so labelled
synthetic in the raw loads, the marts, the statements and the report. Never served by default.
"""

from __future__ import annotations

import hashlib
import math
import random
import shutil
from collections.abc import Iterable
from pathlib import Path

from ingest.snapshot import BUNDLED, VALUES_FILE, Snapshot
from ingest.snapshot.files import KOLADA_SCHEMA, SCB_SCHEMA, values_table, write_parquet

GENERATOR = "synthetic:ingest.snapshot.synthetic v1"


def _rng(*key: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def synthetic_value(series: str, geo: str, year: int, sex: str, seed: int = 0) -> float:
    """A deterministic value in 1..99: a level per series and geography, a trend, noise."""
    level = 20 + 60 * _rng(seed, series, "level").random()
    offset = _rng(seed, series, geo, "offset").gauss(0, 0.1)
    trend = _rng(seed, series, "trend").gauss(0, 0.01)
    noise = _rng(seed, series, geo, year, sex, "noise").gauss(0, 0.01)
    sex_gap = {"T": 0.0, "K": 0.02, "M": -0.02}[sex]
    value = level * (1 + offset + sex_gap + noise) * (1 + trend) ** (year - 2010)
    return math.floor(min(max(value, 1.0), 99.0) * 10 + 0.5) / 10


def write_synthetic(
    root: Path,
    kpis: Iterable[str],
    geographies: Iterable[str],
    years: Iterable[int],
    seed: int = 0,
    drop: Iterable[tuple[str, str, int, str]] = (),
) -> Snapshot:
    """Write a synthetic snapshot to ``root`` and return it. ``drop`` keys are left absent."""
    kpis, geographies, years, dropped = list(kpis), list(geographies), list(years), set(drop)
    meta = {r["id"]: r for r in BUNDLED.kolada_csv("kpi.csv")}
    unknown = [k for k in kpis if k not in meta]
    if unknown:
        raise ValueError(f"synthetic snapshot: KPI(s) {unknown} are not in the bundled metadata")
    (root / "kolada").mkdir(parents=True, exist_ok=True)
    for name in ("kpi.csv", "municipality.csv"):
        shutil.copyfile(BUNDLED.kolada_dir / name, root / "kolada" / name)
    provenance = f"{GENERATOR} (seed {seed})"
    rows = [
        {
            "kpi": k,
            "municipality": g,
            "period": y,
            "gender": s,
            "value": synthetic_value(k, g, y, s, seed),
            "count": 1,
            "status": None,
            "is_synthetic": True,
            "provenance": provenance,
        }
        for k in sorted(kpis)
        for g in sorted(geographies)
        for y in sorted(years)
        for s in (
            ("T", "K", "M") if meta[k]["is_divided_by_gender"].lower() in ("true", "1") else ("T",)
        )
        if (k, g, y, s) not in dropped
    ]
    write_parquet(values_table(rows, KOLADA_SCHEMA), root / "kolada" / VALUES_FILE)
    shutil.copytree(BUNDLED.scb_dir, root / "scb", dirs_exist_ok=True)
    scb = [
        {
            **r,
            "value": synthetic_value(r["series_id"], r["region_code"], r["year"], r["sex"], seed),
            "is_synthetic": True,
            "provenance": provenance,
        }
        for r in BUNDLED.scb_values()
    ]
    write_parquet(values_table(scb, SCB_SCHEMA), root / "scb" / VALUES_FILE)
    return Snapshot(root)
