"""Typed settings for the ingest layer (no Dagster imports here).

Nothing here reads the environment: the entry points (``python -m ingest``, live-check, the
pipeline's settings in orchestration/runtime/settings.py) read KOLADA_BASE_URL and friends with
:func:`KoladaConfig.from_environ` and hand the values in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ingest import __version__

KOLADA_LIVE_BASE_URL = "https://api.kolada.se/v3"
KOLADA_MAX_PER_PAGE = 5000  # Kolada's page cap; per_page above it answers 422
USER_AGENT = f"rus-pipeline/{__version__} (regional development follow-up; python-requests)"
# RUS_FIRST_YEAR's default: the first year fetched, unless a target's baseline year in the
# catalogue is earlier (then that year).
FIRST_YEAR = 2010


@dataclass(frozen=True)
class HttpConfig:
    """How every request is made: timeouts, bounded retries and a per-host rate limit."""

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    max_attempts: int = 5
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 120.0
    calls_per_period: int = 5
    period_s: float = 1.0
    user_agent: str = USER_AGENT
    # The hosts (``host[:port]``) the rate limit protects, e.g. the public API's; None: every
    # host. A limit published for api.scb.se is no reason to throttle a replay on 127.0.0.1.
    rate_limited_hosts: frozenset[str] | None = None
    # The largest body read (bytes): a bigger or endless answer is refused, naming this limit,
    # and memory stays bounded by it. Kolada's 5 000-row pages are about 1 MB.
    max_response_bytes: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("connect_timeout_s", "read_timeout_s", "period_s", "backoff_max_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"HttpConfig.{name} must be > 0, got {getattr(self, name)!r}")
        if self.max_attempts < 1:
            raise ValueError(f"HttpConfig.max_attempts must be >= 1, got {self.max_attempts!r}")
        if self.max_response_bytes < 1:
            raise ValueError(
                f"HttpConfig.max_response_bytes must be >= 1, got {self.max_response_bytes!r}"
            )
        if self.calls_per_period < 1:
            raise ValueError(
                f"HttpConfig.calls_per_period must be >= 1, got {self.calls_per_period!r}"
            )


def hosts(*urls: str) -> frozenset[str]:
    """The ``host[:port]`` of each URL: the hosts a published rate limit protects."""
    return frozenset(urlsplit(u).netloc for u in urls)


@dataclass(frozen=True)
class Politeness:
    """How politely one source's live host is asked, written once per source (Kolada below, SCB
    in ingest/pxweb/config.py); the Dagster resources, ``python -m ingest fetch``, live-check
    and the benchmarks' floor (benchmarks/floor.py) all read it from there."""

    concurrency: int  # requests in flight at once
    calls: int  # the rate limit on the live host: ``calls`` per ``period_s``
    period_s: float
    read_timeout_s: float
    max_attempts: int
    live_hosts: frozenset[str]  # the hosts the rate limit protects (never a local replay)

    def http_config(self, **changes: object) -> HttpConfig:
        """The HTTP settings of this politeness, with ``changes`` (e.g. fewer attempts)."""
        config = HttpConfig(
            read_timeout_s=self.read_timeout_s,
            max_attempts=self.max_attempts,
            calls_per_period=self.calls,
            period_s=self.period_s,
            rate_limited_hosts=self.live_hosts,
        )
        return replace(config, **changes)


# Kolada documents no limits; the project asks with 4 requests in flight and, on the live
# host, at most 5 calls per second.
KOLADA_POLITENESS = Politeness(
    concurrency=4,
    calls=5,
    period_s=1.0,
    read_timeout_s=30.0,
    max_attempts=5,
    live_hosts=hosts(KOLADA_LIVE_BASE_URL),
)


def kolada_v2_retired(base_url: str, answer: str = "") -> str:
    """The error for a Kolada v2 base URL or a v2 deprecation answer, naming the URL set."""
    said = f" (the API answered: {answer})" if answer else ""
    return (
        f"Kolada v2 is retired; KOLADA_BASE_URL must point at …/v3 (e.g. {KOLADA_LIVE_BASE_URL}), "
        f"not {base_url!r}{said}"
    )


@dataclass(frozen=True)
class KoladaConfig:
    """Kolada API location and request shape limits (v3; see ingest/kolada/README.md)."""

    base_url: str = KOLADA_LIVE_BASE_URL
    per_page: int = 5000
    max_ids_per_segment: int = 25
    max_years_per_segment: int = 25
    # Data requests in flight at once (each follows its own pages). Kolada documents no limit;
    # the live host's rate limit (KOLADA_POLITENESS, through HttpConfig) still applies on top.
    concurrency: int = KOLADA_POLITENESS.concurrency
    # The snapshot a replay server at base_url serves (for labelling its values); None: the
    # bundled one. Never used for the live API, which sends no replay header.
    replay_snapshot: Path | None = None

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"KOLADA_BASE_URL must be an http(s) URL such as {KOLADA_LIVE_BASE_URL}, "
                f"got {self.base_url!r}"
            )
        if self.base_url.rstrip("/").endswith("/v2"):
            raise ValueError(kolada_v2_retired(self.base_url))
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= KOLADA_MAX_PER_PAGE:
            raise ValueError(
                f"KoladaConfig.per_page must be within 1..{KOLADA_MAX_PER_PAGE} (Kolada answers "
                f"422 above it and caps a page there), got {self.per_page!r}"
            )
        for name in ("max_ids_per_segment", "max_years_per_segment"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 25:
                raise ValueError(
                    f"KoladaConfig.{name} must be within 1..25 (ids per path segment), "
                    f"got {value!r}"
                )
        if not 1 <= self.concurrency <= 16:
            raise ValueError(f"Kolada concurrency must be within 1..16, got {self.concurrency!r}")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> KoladaConfig:
        """From the variables an entry point hands in: KOLADA_BASE_URL (default: the live API)."""
        return cls(base_url=kolada_base_url(environ))


def kolada_base_url(environ: Mapping[str, str]) -> str:
    """KOLADA_BASE_URL in ``environ`` (a mapping handed in), else the live API; unchecked."""
    return environ.get("KOLADA_BASE_URL", KOLADA_LIVE_BASE_URL).rstrip("/")
