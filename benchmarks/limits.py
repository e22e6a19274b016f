"""What Kolada's undocumented id limit costs: the project's Kolada fetch of the peers' keys
(every catalogue KPI × Riket, the län and the region's kommuner × 2005–2026) against a replay
server playing an id limit of ``max_ids`` per dimension (HTTP 422 past it, as live Kolada
answers), beside the same fetch with no limit.

Three fetches, each timed once at the set latency per request (the replay's latency fault):

- unlimited: the bundled behaviour (25 ids per dimension, nothing refused);
- id limit, first load: starts at 25 and learns the limit from the 422s (split in halves);
- id limit, next load: starts at the sizes the first recorded (as the next night does, from the
  load manifest's ``request_limits``), so nothing is refused.

Requests are the client's own count (``HttpStats``: answered and refused alike).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.peers import kolada_keys
from benchmarks.replay import replay_server
from benchmarks.results import Figure

MAX_IDS = 8


@dataclass
class LimitRun:
    label: str
    seconds: float
    requests: int
    refused: int
    values: int
    sizes: dict[str, int]


def fetch(url: str, label: str, start: dict[str, int] | None = None) -> LimitRun:
    """One whole fetch of the keys by the project's client (the dev resources' settings)."""
    from ingest.http import HttpClient
    from ingest.kolada.client import KoladaClient
    from ingest.kolada.split import LearnedSizes
    from orchestration.defs.resources import KoladaResource

    resource = KoladaResource(base_url=f"{url}/v3")
    config = resource.kolada_config()
    limits = LearnedSizes(start) if start else None
    client = KoladaClient(config, HttpClient(resource.http_config()), limits)
    t0 = time.perf_counter()
    result = client.fetch_values(*kolada_keys())
    seconds = time.perf_counter() - t0
    stats = client.http.stats
    return LimitRun(
        label,
        round(seconds, 3),
        stats.requests,
        stats.status_counts.get(422, 0),
        len(result.rows),
        client.limits.sizes(),
    )


def id_limit_cost(work: Path, unlimited_url: str, latency_ms: float) -> tuple[list[Figure], dict]:
    """The three fetches as figures (seconds, with requests and refusals in the note) and the
    requests as figures of their own."""
    unlimited = fetch(unlimited_url, "unlimited")
    with replay_server(work, latency_ms, extra_args=["--kolada-max-ids", str(MAX_IDS)]) as url:
        first = fetch(url, f"id limit {MAX_IDS}, first load")
        nxt = fetch(url, f"id limit {MAX_IDS}, next load", start=first.sizes)
    section = f"kolada id limit {MAX_IDS} ({latency_ms:g} ms)"
    figures: list[Figure] = []
    for run in (unlimited, first, nxt):
        note = f"{run.values} values; {run.refused} refused (422); sizes {run.sizes}"
        figures.append(Figure(section, f"{run.label}: fetch", run.seconds, "s", note=note))
        figures.append(Figure(section, f"{run.label}: requests", run.requests))
    same = len({run.values for run in (unlimited, first, nxt)}) == 1
    figures.append(Figure(section, "same values as unlimited", str(same), met=same))
    return figures, {run.label: asdict(run) for run in (unlimited, first, nxt)}
