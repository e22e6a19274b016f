"""The floor of a fetch: the least time its requests can take at a given latency.

``requests × latency ÷ concurrency``, and never less than a rate limit allows: ``calls`` per
``period_s`` lets the first ``calls`` requests go at once and each further batch one period later.
Two limits per source are shown side by side:

- what the API documents (../shared/realdata/FORMATS.md): Kolada documents no rate limit and no
  concurrency limit; SCB's own page says at most 10 calls per 10 s per IP address;
- what the project's own politeness sets (imported from where it is written: ingest/config.py
  KOLADA_POLITENESS, ingest/pxweb/config.py SCB_POLITENESS): Kolada 4 requests in flight and, on
  the live host, 5 calls/s; SCB one request at a time and, on the live host, 10 calls per 10 s.
  On the replay host no rate limit applies, so the measured fetch is compared with the project's
  concurrency alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ingest.config import KOLADA_POLITENESS, Politeness
from ingest.pxweb.config import SCB_POLITENESS


@dataclass(frozen=True)
class Limits:
    concurrency: int | None  # requests in flight at once; None: not limited
    calls: int | None = None  # rate limit: calls per period_s; None: none
    period_s: float = 1.0
    source: str = ""

    def describe(self) -> str:
        parts = [f"{self.concurrency} in flight" if self.concurrency else "no concurrency limit"]
        parts.append(f"{self.calls} calls/{self.period_s:g} s" if self.calls else "no rate limit")
        return ", ".join(parts)


DOCUMENTED = {
    "kolada": Limits(None, None, source="FORMATS.md: 'Rate limit: none documented'"),
    "scb": Limits(None, 10, 10.0, source="FORMATS.md: SCB 'tio anrop per tio sekunder'"),
}


def politeness(p: Politeness, source: str) -> Limits:
    return Limits(p.concurrency, p.calls, p.period_s, source=source)


POLITENESS_LIVE = {
    "kolada": politeness(KOLADA_POLITENESS, "ingest/config.py KOLADA_POLITENESS"),
    "scb": politeness(SCB_POLITENESS, "ingest/pxweb/config.py SCB_POLITENESS"),
}
POLITENESS_REPLAY = {
    source: Limits(limits.concurrency, None, source=f"{limits.source} (no rate limit on loopback)")
    for source, limits in POLITENESS_LIVE.items()
}


def floor_s(requests: int, latency_s: float, limits: Limits) -> float:
    """The least seconds ``requests`` requests take at ``latency_s`` each under ``limits``.
    With no concurrency limit the requests could all be in flight at once: one latency."""
    if requests <= 0:
        return 0.0
    in_flight = limits.concurrency or requests
    network = math.ceil(requests / in_flight) * latency_s
    if not limits.calls:
        return network
    rate = ((requests - 1) // limits.calls) * limits.period_s
    return max(network, rate + latency_s)
