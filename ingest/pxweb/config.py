"""Where SCB's PxWeb APIs are, how big one request may be and how politely SCB is asked.

Nothing here reads the environment: entry points hand PXWEB_V1_BASE_URL and PXWEB_BASE_URL in
(:func:`PxWebConfig.from_environ`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.config import Politeness, hosts

PXWEB_V1_LIVE_BASE_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
PXWEB_V2_LIVE_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
# SCB's open-data page: at most 10 calls per 10 s per IP address; the client asks one request
# at a time.
SCB_POLITENESS = Politeness(
    concurrency=1,
    calls=10,
    period_s=10.0,
    read_timeout_s=60.0,
    max_attempts=5,
    live_hosts=hosts(PXWEB_V1_LIVE_BASE_URL, PXWEB_V2_LIVE_BASE_URL),
)
# SCB's published limit of values per request (the v2 /config advertises more).
SCB_MAX_CELLS = 100_000


@dataclass(frozen=True)
class PxWebConfig:
    """SCB PxWeb v1 and PxWebApi 2.0 locations and the cell limit per request.

    ``max_cells`` defaults to SCB's published 100 000 values per request (SCB's open-data page;
    the v2 ``/config`` advertises more, so 100 000 is the safe side). ``lang`` is sent to v2;
    for v1 the language is part of the base URL (``.../doris/sv/ssd``).
    """

    v1_base_url: str = PXWEB_V1_LIVE_BASE_URL
    v2_base_url: str = PXWEB_V2_LIVE_BASE_URL
    max_cells: int = SCB_MAX_CELLS
    lang: str = "sv"
    # The snapshot a replay server serves (for labelling its values); None: the bundled one.
    replay_snapshot: Path | None = None

    def __post_init__(self) -> None:
        for name, env, example in (
            ("v1_base_url", "PXWEB_V1_BASE_URL", PXWEB_V1_LIVE_BASE_URL),
            ("v2_base_url", "PXWEB_BASE_URL", PXWEB_V2_LIVE_BASE_URL),
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.startswith(("http://", "https://")):
                raise ValueError(f"{env} must be an http(s) URL such as {example}, got {value!r}")
        if not isinstance(self.max_cells, int) or self.max_cells < 1:
            raise ValueError(f"PxWebConfig.max_cells must be >= 1, got {self.max_cells!r}")
        if not self.lang or not self.lang.isalpha():
            raise ValueError(
                f"PxWebConfig.lang must be a language code such as 'sv', got {self.lang!r}"
            )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> PxWebConfig:
        """From the variables an entry point hands in: PXWEB_V1_BASE_URL and PXWEB_BASE_URL
        (default: SCB's live APIs)."""
        v1, v2 = pxweb_base_urls(environ)
        return cls(v1_base_url=v1, v2_base_url=v2)


def pxweb_base_urls(environ: Mapping[str, str]) -> tuple[str, str]:
    """PXWEB_V1_BASE_URL and PXWEB_BASE_URL in ``environ`` (a mapping handed in), else SCB's
    live APIs; unchecked."""
    return (
        environ.get("PXWEB_V1_BASE_URL", PXWEB_V1_LIVE_BASE_URL).rstrip("/"),
        environ.get("PXWEB_BASE_URL", PXWEB_V2_LIVE_BASE_URL).rstrip("/"),
    )
