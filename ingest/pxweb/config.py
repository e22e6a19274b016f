"""Where SCB's PxWeb APIs are and how big one request may be."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PXWEB_V1_LIVE_BASE_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
PXWEB_V2_LIVE_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"


@dataclass(frozen=True)
class PxWebConfig:
    """SCB PxWeb v1 and PxWebApi 2.0 locations and the cell limit per request.

    ``max_cells`` defaults to SCB's published 100 000 values per request (SCB's open-data page;
    the v2 ``/config`` advertises more, so 100 000 is the safe side). ``lang`` is sent to v2;
    for v1 the language is part of the base URL (``.../doris/sv/ssd``).
    """

    v1_base_url: str = PXWEB_V1_LIVE_BASE_URL
    v2_base_url: str = PXWEB_V2_LIVE_BASE_URL
    max_cells: int = 100_000
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
    def from_env(cls) -> PxWebConfig:
        return cls(
            v1_base_url=os.environ.get("PXWEB_V1_BASE_URL", PXWEB_V1_LIVE_BASE_URL).rstrip("/"),
            v2_base_url=os.environ.get("PXWEB_BASE_URL", PXWEB_V2_LIVE_BASE_URL).rstrip("/"),
        )
