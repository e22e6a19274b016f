"""Where a PostgreSQL database is and who connects to it: plain settings (no driver imported).

Connecting and publishing are orchestration/publish/'s (``postgres.connect``); the values come
from RUS_PG_* through orchestration/runtime/settings.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class PgServer:
    """A PostgreSQL database and who connects to it. ``password`` may be empty (trust or peer
    auth) and is never part of the repr."""

    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class PgTarget(PgServer):
    """Where to publish and as whom, and the read-only role BI tools log in as."""

    bi_role: str = "rus_bi"
    bi_password: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.bi_role):
            raise ValueError(
                f"RUS_PG_BI_ROLE={self.bi_role!r}; expected a lower-case PostgreSQL role name"
            )
        if not self.bi_password:
            raise ValueError(
                "RUS_PG_BI_PASSWORD is not set; expected the password of the read-only BI role "
                f"{self.bi_role!r}"
            )
