"""Where the benchmarks work and write (everything under data/bench/)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "data" / "bench"
