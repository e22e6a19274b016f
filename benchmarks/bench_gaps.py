"""Benchmark of the gap method on a full-size SYNTHETIC cube.

Every value generated here is synthetic (seeded random numbers, ``is_synthetic = True``), never a
published statistic: it only gives the gap method the shape of a real nightly run. Riket, the 21
län and the 290 kommuner of ``dbt_project/seeds/geographies.csv`` × every indicator of
``dbt_project/seeds/indicators.csv`` × 20 years × sex T/K/M, then ``assess_indicators`` and the
roll-ups per area, focus effort and goal over ``indicator_links.csv``.

Run: ``python -m benchmarks.bench_gaps [--years 20] [--seed 20180101] [--json]`` (also a section
of ``make bench``: ``python -m benchmarks``). Prints wall time per step
and the process's peak resident memory (``resource.getrusage``, ru_maxrss). Target on 2 cores:
under 10 s and under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.gap_method import METHOD_VERSION, assess_indicators, roll_up_links

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
LEVEL_BY_SCALE = {"percent": (20.0, 80.0), "rate": (1.0, 20.0), "index": (75.0, 85.0)}
SEXES = ("T", "K", "M")


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def read_seeds() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    geographies = pd.read_csv(SEEDS / "geographies.csv", dtype=str)
    indicators = pd.read_csv(SEEDS / "indicators.csv", dtype={"indicator_id": str})
    indicators["direction_sign"] = np.where(indicators["desired_direction"] == "increase", 1, -1)
    links = pd.read_csv(SEEDS / "indicator_links.csv", dtype=str)
    return geographies, indicators, links


def synthetic_values(
    geographies: pd.DataFrame, indicators: pd.DataFrame, years: int, seed: int
) -> pd.DataFrame:
    """SYNTHETIC values: level per indicator and geography, a linear trend and noise; shares
    clipped to 0–100. Seeded, so every run measures the same input."""
    rng = np.random.default_rng(seed)
    n_ind, n_geo, n_sex = len(indicators), len(geographies), len(SEXES)
    last_year = 2024
    year_axis = np.arange(last_year - years + 1, last_year + 1)
    low = np.array([LEVEL_BY_SCALE.get(s, (100.0, 1000.0))[0] for s in indicators["scale"]])
    high = np.array([LEVEL_BY_SCALE.get(s, (100.0, 1000.0))[1] for s in indicators["scale"]])
    shape = (n_ind, n_geo, n_sex)
    level = low[:, None, None] + rng.random(shape) * (high - low)[:, None, None]
    slope = level * rng.normal(0.0, 0.02, shape)  # ±2 % of the level a year
    noise = level[..., None] * rng.normal(0.0, 0.01, (*shape, years))
    elapsed = (year_axis - year_axis[0])[None, None, None, :]
    values = level[..., None] + slope[..., None] * elapsed + noise
    is_share = (indicators["scale"] == "percent").to_numpy()
    values[is_share] = np.clip(values[is_share], 0.0, 100.0)
    # A few holes, as real series have.
    values[rng.random(values.shape) < 0.02] = np.nan
    index = pd.MultiIndex.from_product(
        [indicators["indicator_id"], geographies["geography_code"], list(SEXES), year_axis],
        names=["indicator_id", "geography_code", "sex", "year"],
    )
    frame = index.to_frame(index=False)
    frame["value"] = values.reshape(-1)
    frame["is_synthetic"] = True
    return frame


def measure(years: int, seed: int) -> dict:
    """Assess and roll up a SYNTHETIC cube; the figures (seconds, MB, rows)."""
    geographies, indicators, links = read_seeds()
    values = synthetic_values(geographies, indicators, years, seed)
    rss_input = _peak_rss_mb()
    started = time.perf_counter()
    gaps = assess_indicators(values, indicators, geographies=geographies)
    assessed = time.perf_counter()
    rollups = {
        link_type: roll_up_links(gaps, links, link_type, indicators=indicators)
        for link_type in ("area", "focus_effort", "goal")
    }
    finished = time.perf_counter()
    return {
        "method_version": METHOD_VERSION,
        "synthetic_values": len(values),
        "non_missing_values": int(values["value"].notna().sum()),
        "geographies": len(geographies),
        "indicators": len(indicators),
        "years": years,
        "gap_rows": len(gaps),
        "rollup_rows": {k: len(v) for k, v in rollups.items()},
        "assess_s": round(assessed - started, 2),
        "rollups_s": round(finished - assessed, 2),
        "total_s": round(finished - started, 2),
        "peak_rss_input_mb": round(rss_input),
        "peak_rss_mb": round(_peak_rss_mb()),
        "status_counts": {k: int(v) for k, v in sorted(gaps["status"].value_counts().items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20180101)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)
    m = measure(args.years, args.seed)
    if args.json:
        print(json.dumps(m))
        return 0
    print(
        f"SYNTHETIC input: {m['geographies']} geographies × {m['indicators']} indicators × "
        f"{m['years']} years × {len(SEXES)} sexes = {m['synthetic_values']:,} values "
        f"({m['non_missing_values']:,} non-missing)"
    )
    print(f"method_version             {m['method_version']}")
    print(f"gap rows                   {m['gap_rows']:,}")
    for link_type, rows in m["rollup_rows"].items():
        print(f"roll-up rows ({link_type:<12}) {rows:,}")
    print(f"assess_indicators          {m['assess_s']:6.2f} s")
    print(f"roll-ups (3 link types)    {m['rollups_s']:6.2f} s")
    print(f"total wall time            {m['total_s']:6.2f} s   (target < 10 s)")
    print(f"peak RSS after input       {m['peak_rss_input_mb']:8.0f} MB")
    print(f"peak RSS of the process    {m['peak_rss_mb']:8.0f} MB   (target < 1024 MB)")
    print(
        "status counts              " + ", ".join(f"{k}={v}" for k, v in m["status_counts"].items())
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
