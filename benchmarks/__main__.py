"""``make bench``: the whole pipeline's performance, measured against the replay server.

Every section runs against the replay server on 127.0.0.1 (a process of its own) with a set
latency per request (``--latency-ms``, default 50), so the figures repeat on this machine:

full refresh     the bundled snapshot into a fresh data directory: wall time, peak RSS, requests,
                 bytes, seconds per stage (fetch, land, validate, dbt, gaps, report, publish)
no-change night  the same data directory again: nothing new, so dbt, the gap tables, the report
                 and the publication are skipped (target ≤ 10 s; the published files unchanged)
country scale    a SYNTHETIC snapshot of every geography × the catalogue × 20 years × 3 sexes,
                 end to end with RUS_SCOPE=country (targets ≤ 180 s, < 2 GB)
peers            the same keys fetched by the project's clients and by pykolada, koladapy and
                 pxwebpy from PyPI (target ≥ 5× faster than the fastest peer), and again at
                 0 ms latency, which leaves only the CPU (the replay's and the clients')
kolada id limit  what live Kolada's undocumented id limit costs: the project's Kolada fetch
                 against a replay answering 422 past 8 ids per dimension (first load: learning
                 it; next load: from the learned sizes) beside the unlimited fetch, in requests
                 and seconds
floor            requests × latency ÷ concurrency (and the rate limits) beside each measured
                 fetch (target within 1.5×)
gap method       the gap method on a full-size SYNTHETIC cube (targets < 10 s, < 1 GB)

Prints one table and writes it, with every section's detail, to data/bench/results.json. A
missed target is reported, never an error: the exit status is non-zero only when a run failed.
``--size smoke`` is the tiny run the test suite makes so that this does not rot.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import sections
from benchmarks.limits import id_limit_cost
from benchmarks.paths import BENCH_DIR, REPO_ROOT
from benchmarks.replay import replay_server
from benchmarks.results import Figure, render, write_json

SIZES = {
    # latency ms, country years, gap-method years, peer repeats
    "full": (50.0, 20, 20, 5),
    "smoke": (5.0, 1, 2, 1),
}
ALL = ("full", "no_change", "country", "peers", "limits", "gaps")


def _meta(args: argparse.Namespace, latency_ms: float) -> dict:
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": rev,
        "size": args.size,
        "latency_ms": latency_ms,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "sections": args.only,
    }


def run(args: argparse.Namespace) -> tuple[list[Figure], dict]:
    latency, country_years, gap_years, repeat = SIZES[args.size]
    latency = args.latency_ms if args.latency_ms is not None else latency
    s = sections.Settings(args.work, latency, country_years, gap_years, repeat)
    figures: list[Figure] = []
    details: dict = {"meta": _meta(args, latency)}
    runs: dict[str, dict] = {}
    with replay_server(s.work / "replay", latency) as url:
        data_dir = args.reuse
        if "full" in args.only:
            (figs, detail), data_dir = sections.full_refresh(s, url)
            figures += figs
            details["full_refresh"] = runs["full refresh"] = detail
        elif data_dir is not None:
            copy = s.work / "reused"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(data_dir, copy, symlinks=True)
            data_dir = copy
        if "no_change" in args.only and data_dir is not None:
            figs, detail = sections.no_change(data_dir, url)
            figures += figs
            details["no_change"] = runs["no-change night"] = detail
        if "peers" in args.only:
            figs, details["peers"] = sections.peer_clients(s, url, latency)
            figures += figs
        if "limits" in args.only:
            figs, details["kolada_id_limit"] = id_limit_cost(s.work / "replay-limit", url, latency)
            figures += figs
    if "peers" in args.only and latency > 0:
        with replay_server(s.work / "replay-0ms", 0.0) as url:
            figs, details["peers_0ms"] = sections.peer_clients(s, url, 0.0)
            figures += figs
    if "country" in args.only:
        figs, detail = sections.country(s)
        figures += figs
        details["country"] = runs["country"] = detail
    figs, details["floor"] = sections.floors(s, runs)
    figures += figs
    if "gaps" in args.only:
        figs, details["gap_method"] = sections.gap_method(s)
        figures += figs
    return figures, details


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--latency-ms", type=float, default=None, help="per request (default 50)")
    parser.add_argument(
        "--only", nargs="+", choices=ALL, default=list(ALL), help="sections to run (default all)"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        default=None,
        help="without the full refresh: a copy of this data directory is the no-change night's",
    )
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "work")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    args = parser.parse_args(argv)
    if args.latency_ms is not None and not 0 <= args.latency_ms <= 5000:
        parser.error(f"--latency-ms {args.latency_ms}: expected 0–5000")
    if args.reuse is not None and not (args.reuse / "published").is_dir():
        parser.error(f"--reuse {args.reuse}: expected a data directory holding published/")
    figures, details = run(args)
    print(render(figures))
    write_json(args.out, details.pop("meta"), figures, details)
    print(f"\nWritten to {args.out}")
    failed = [f for f in figures if f.value == "FAILED"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
