"""The live APIs' limits, as the replay server can play them (default: none beyond the bundled
behaviour, so ``make run`` is served as before).

- ``kolada_max_ids``: ids a Kolada request may name per dimension (``kpi``, ``municipality``,
  ``year``; the metadata paths ``/kpi/<ids>`` and ``/municipality/<ids>`` too). Past it the
  answer is HTTP 422 with a JSON body. Live Kolada's limit is undocumented (one report: 33
  kommuner refused, 8 accepted; another: "about twenty") and its body was not recorded; the body
  here is shaped like a FastAPI validation error (``{"detail": [{"type", "loc", "msg", ...}]}``),
  since 422 is FastAPI's validation status and live Kolada answers ``per_page`` above 5000 with
  422 too. The client depends on the status, never on this body's shape.
- ``kolada_page_cap``: items per page at most, whatever ``per_page`` asks; the rest is paged by
  absolute ``next_url`` links (Kolada's cap is 5000).
- ``scb_max_cells``: cells one SCB data request may select; past it HTTP 403 (v2: Problem JSON
  as in the PxWebApi 2.0 spec). SCB publishes 100 000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_CELLS = 100_000


@dataclass(frozen=True)
class ReplayLimits:
    kolada_max_ids: int | None = None
    kolada_page_cap: int | None = None
    scb_max_cells: int = DEFAULT_MAX_CELLS

    def __post_init__(self) -> None:
        for name in ("kolada_max_ids", "kolada_page_cap"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"ReplayLimits.{name} must be None or >= 1, got {value!r}")
        if not isinstance(self.scb_max_cells, int) or self.scb_max_cells < 1:
            raise ValueError(
                f"max_cells (PxWeb cells per request) must be >= 1, got {self.scb_max_cells!r}"
            )

    def kolada_refusal(self, selection: Mapping[str, Sequence[Any] | None]) -> dict | None:
        """The 422 body for a Kolada request naming more ids than allowed in a dimension of
        ``selection`` (dimension → ids; None: not named), else None."""
        if self.kolada_max_ids is None:
            return None
        over = [
            (dim, list(ids))
            for dim, ids in selection.items()
            if ids is not None and len(ids) > self.kolada_max_ids
        ]
        if not over:
            return None
        return {
            "detail": [
                {
                    "type": "too_long",
                    "loc": ["path", dim],
                    "msg": f"List should have at most {self.kolada_max_ids} items after "
                    f"validation, not {len(ids)}",
                    "input": [str(i) for i in ids],
                    "ctx": {
                        "field_type": "List",
                        "max_length": self.kolada_max_ids,
                        "actual_length": len(ids),
                    },
                }
                for dim, ids in over
            ]
        }

    def page_size(self, per_page: int) -> int:
        """Items on one page when ``per_page`` are asked for."""
        return min(per_page, self.kolada_page_cap) if self.kolada_page_cap else per_page
