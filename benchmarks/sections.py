"""The sections of ``make bench``; each returns its figures and its details for the JSON."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks import floor, peers
from benchmarks.limits import MAX_IDS as LIVE_MAX_IDS
from benchmarks.pipeline import SOURCES, STAGES, PipelineRun, run_pipeline
from benchmarks.replay import replay_server
from benchmarks.results import Figure, at_least, at_most

NO_CHANGE_TARGET_S = 10.0
COUNTRY_TARGET_S = 180.0
COUNTRY_TARGET_MB = 2048.0
PEER_TARGET_X = 5.0
FLOOR_TARGET_X = 1.5
GAPS_TARGET_S, GAPS_TARGET_MB = 10.0, 1024.0
# The nightly job's dagster/max_runtime is sized against a country-scale night on a slow live
# host: every request SLOW_LIVE_S, Kolada refusing past LIVE_MAX_IDS ids per dimension (so each
# of the client's segments is cut in smaller ones), the live politeness limits; the rest of the
# night as measured. The estimate must stay under half the max runtime.
SLOW_LIVE_S = 2.0


@dataclass(frozen=True)
class Settings:
    work: Path  # data/bench/work: data directories and replay logs
    latency_ms: float
    country_years: int
    gap_years: int
    peer_repeat: int


Section = tuple[list[Figure], dict]


def published_digest(data_dir: Path) -> str:
    """One sha256 over every published and report file (names and contents)."""
    digest = hashlib.sha256()
    for top in ("published", "reports"):
        for path in sorted((data_dir / top).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(data_dir)).encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _run_figures(section: str, run: PipelineRun) -> list[Figure]:
    if run.returncode != 0:
        return [Figure(section, "run", "FAILED", met=False, note=run.error[-300:])]
    figures = [
        Figure(section, "wall time", run.wall_s, "s"),
        Figure(section, "peak RSS (process tree)", run.peak_tree_mb, "MB"),
    ]
    figures += [
        Figure(section, f"requests {s}", run.requests.get(s, 0), "", note="") for s in SOURCES
    ]
    figures.append(Figure(section, "bytes", sum(run.bytes.values()), "B"))
    figures += [
        Figure(section, f"stage {stage}", run.stages.get(stage, 0.0), "s") for stage in STAGES
    ]
    return figures


def full_refresh(s: Settings, url: str) -> tuple[Section, Path]:
    data_dir = s.work / "full"
    shutil.rmtree(data_dir, ignore_errors=True)
    run = run_pipeline(data_dir, url)
    return (_run_figures("full refresh", run), run.as_dict()), data_dir


def no_change(data_dir: Path, url: str) -> Section:
    before = published_digest(data_dir)
    run = run_pipeline(data_dir, url)
    section = "no-change night"
    if run.returncode != 0:
        return _run_figures(section, run), run.as_dict()
    unchanged = published_digest(data_dir) == before
    figures = [
        at_most(section, "wall time", run.wall_s, NO_CHANGE_TARGET_S, "s"),
        Figure(section, "peak RSS (process tree)", run.peak_tree_mb, "MB"),
        Figure(section, "published files unchanged", str(unchanged), met=unchanged),
        Figure(
            section,
            "skipped steps",
            len(run.skipped_steps),
            note=f"{run.skip_reason or 'NOTHING SKIPPED'}",
            met=bool(run.skip_reason),
            target="dbt, gaps, report, publish",
        ),
    ]
    figures += [Figure(section, f"stage {st}", run.stages.get(st, 0.0), "s") for st in STAGES]
    return figures, {**run.as_dict(), "published_unchanged": unchanged}


def country(s: Settings) -> Section:
    from ingest.snapshot.country import write_country_snapshot

    years = range(2005, 2005 + s.country_years)
    snapshot = s.work / f"country-snapshot-{s.country_years}y"
    if not (snapshot / "scb" / "tables.json").exists():
        write_country_snapshot(snapshot, years)
    data_dir = s.work / "country"
    shutil.rmtree(data_dir, ignore_errors=True)
    with replay_server(s.work / "replay-country", s.latency_ms, snapshot) as url:
        run = run_pipeline(data_dir, url, snapshot, env={"RUS_SCOPE": "country"})
    section = "country scale (SYNTHETIC)"
    figures = _run_figures(section, run)
    if run.returncode == 0:
        figures[0] = at_most(section, "wall time", run.wall_s, COUNTRY_TARGET_S, "s")
        figures[1] = at_most(
            section, "peak RSS (process tree)", run.peak_tree_mb, COUNTRY_TARGET_MB, "MB"
        )
        figures.insert(2, Figure(section, "values fetched", sum(run.rows.values())))
        figures += night_on_a_slow_live_host(section, run)
    return figures, {**run.as_dict(), "years": list(years), "snapshot": str(snapshot)}


def night_on_a_slow_live_host(section: str, run: PipelineRun) -> list[Figure]:
    """The country night re-timed for a slow live host, beside the nightly max runtime."""
    from ingest.config import KoladaConfig
    from orchestration.defs.jobs import NIGHTLY_MAX_RUNTIME

    cut = math.ceil(KoladaConfig().max_ids_per_segment / LIVE_MAX_IDS) ** 2
    live = {"kolada": run.requests.get("kolada", 0) * cut, "scb": run.requests.get("scb", 0)}
    fetch_s = sum(
        floor.floor_s(n, SLOW_LIVE_S, floor.POLITENESS_LIVE[source]) for source, n in live.items()
    )
    estimate = run.wall_s - sum(run.fetch_s.values()) + fetch_s
    limit = NIGHTLY_MAX_RUNTIME.total_seconds()
    note = (
        f"{live['kolada']} Kolada requests ({cut}× the measured: {LIVE_MAX_IDS} ids per "
        f"dimension), {live['scb']} SCB, {SLOW_LIVE_S:g} s each, live politeness; "
        f"dagster/max_runtime {limit:.0f} s (orchestration/defs/jobs.py)"
    )
    return [at_most(section, "night on a slow live host (est.)", estimate, limit / 2, "s", note)]


def peer_clients(s: Settings, url: str, latency_ms: float) -> Section:
    """Every client on the same keys; the ≥ 5× target applies at the set latency (at 0 ms the
    figures show what is left: the replay's and the clients' CPU, the same for all)."""
    timings = peers.compare(url, repeat=s.peer_repeat)
    figures: list[Figure] = []
    for source, rows in timings.items():
        section = f"peers {source} ({latency_ms:g} ms)"
        ours = next(t for t in rows if t.client == "rus-pipeline")
        others = [t for t in rows if t.client != "rus-pipeline" and not math.isnan(t.seconds)]
        for t in rows:
            note = f"{t.requests} requests, {t.values} values {t.note}".strip()
            figures.append(Figure(section, f"{t.client} fetch", t.seconds, "s", note=note))
        if others:
            fastest = min(others, key=lambda t: t.seconds)
            ratio = fastest.seconds / ours.seconds if ours.seconds else float("nan")
            name = f"speed-up over {fastest.client}"
            if latency_ms == s.latency_ms:
                figures.append(at_least(section, name, ratio, PEER_TARGET_X, "×"))
            else:
                figures.append(Figure(section, name, round(ratio, 2), "×"))
    return figures, {k: [asdict(t) for t in v] for k, v in timings.items()}


def _floor_figures(section: str, source: str, n: int, latency: float, measured: float):
    """The measured fetch beside its three floors; the target compares with the project's."""
    limits = {
        "floor, project's concurrency": floor.POLITENESS_REPLAY[source],
        "floor, live host (politeness)": floor.POLITENESS_LIVE[source],
        "floor, API as documented": floor.DOCUMENTED[source],
    }
    floors = {name: floor.floor_s(n, latency, lim) for name, lim in limits.items()}
    figures = [Figure(section, "measured fetch", measured, "s", note=f"{n} requests")]
    for name, lim in limits.items():
        note = lim.describe() + (f" ({lim.source})" if "documented" in name else "")
        figures.append(Figure(section, name, round(floors[name], 3), "s", note=note))
    project = floors["floor, project's concurrency"]
    ratio = measured / project if project else float("nan")
    figures.append(at_most(section, "measured ÷ floor", ratio, FLOOR_TARGET_X, "×"))
    return figures, {"requests": n, "measured_s": measured, **floors}


def floors(s: Settings, runs: dict[str, dict]) -> Section:
    """The measured fetch of each source beside its floor, for each measured pipeline run."""
    figures: list[Figure] = []
    details: dict = {}
    for label, run in runs.items():
        for source in SOURCES:
            n = run.get("requests", {}).get(source)
            measured = run.get("fetch_s", {}).get(source)
            if n and measured is not None:
                figs, details[f"{label}/{source}"] = _floor_figures(
                    f"floor {source} ({label})", source, n, s.latency_ms / 1000, measured
                )
                figures += figs
    return figures, details


def gap_method(s: Settings) -> Section:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_gaps", "--years", str(s.gap_years), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    section = "gap method (SYNTHETIC)"
    if proc.returncode != 0:
        return [Figure(section, "run", "FAILED", met=False, note=proc.stderr[-300:])], {}
    m = json.loads(proc.stdout.strip().splitlines()[-1])
    figures = [
        Figure(section, "values", m["synthetic_values"]),
        at_most(section, "wall time", m["total_s"], GAPS_TARGET_S, "s"),
        at_most(section, "peak RSS", m["peak_rss_mb"], GAPS_TARGET_MB, "MB"),
    ]
    return figures, m
