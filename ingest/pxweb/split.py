"""SCB's cell limit, as plain functions: how a selection is cut, when an answer means "too many
cells", the cell limit a load learns, and the check that an answer holds what was asked.

SCB publishes 100 000 cells per request (its v2 ``/config`` advertises more); over it SCB answers
HTTP 403 (PxWebApi 2.0: a Problem JSON "The query resulted in cell that exceeds the number of
allowed"). A request refused that way (403, 413, or a body saying so) is split in halves along the
variable with the most codes and each half asked again, down to one code per variable; the cell
count then asked for is remembered for the rest of the load and recorded in the load manifest
(``request_limits``), where the next load starts from it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ingest.errors import HttpStatusError, ResponseFormatError, snippet
from ingest.pxweb.jsonstat import Dimension

REGION = "Region"
TIME = "Tid"
REFUSED_STATUS = frozenset({403, 413})
TOO_MANY_CELLS = re.compile(
    r"(?i)(too many (cells|values)|exceeds? the number of allowed|number of allowed cells"
    r"|too large)"
)

Selection = dict[str, list[str]]


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def cells(selection: Mapping[str, Sequence[str]]) -> int:
    return math.prod(len(codes) for codes in selection.values())


def split_selection(selection: Selection, max_cells: int) -> list[Selection]:
    """Split by chunks of regions, then of years, so that every part has ≤ ``max_cells`` cells."""
    if cells(selection) <= max_cells:
        return [selection]
    regions, times = selection[REGION], selection[TIME]
    other = cells({k: v for k, v in selection.items() if k not in (REGION, TIME)})
    if other > max_cells:
        raise ValueError(
            f"one region and one year already give {other} cells, over the limit of {max_cells}"
        )
    if other * len(times) <= max_cells:
        per = max_cells // (other * len(times))
        return [{**selection, REGION: part} for part in chunks(regions, per)]
    per_year = max_cells // other
    return [
        {**selection, REGION: [region], TIME: part}
        for region in regions
        for part in chunks(times, per_year)
    ]


def halves(selection: Selection) -> tuple[Selection, Selection]:
    """``selection`` cut in two along the variable with the most codes (the first on a tie)."""
    var = max(selection, key=lambda v: len(selection[v]))
    codes = selection[var]
    if len(codes) < 2:
        raise ValueError("cannot split a selection of one code per variable")
    mid = -(-len(codes) // 2)
    return {**selection, var: codes[:mid]}, {**selection, var: codes[mid:]}


def fit(selection: Selection, max_cells: int) -> list[Selection]:
    """``selection`` cut to at most ``max_cells`` cells: by regions, then years, as
    :func:`split_selection`; by halving the widest variable when that cannot reach it."""
    try:
        return split_selection(selection, max_cells)
    except ValueError:
        first, second = halves(selection)
        return fit(first, max_cells) + fit(second, max_cells)


def refused_as_too_large(exc: HttpStatusError) -> bool:
    """True when an error answer means "too many cells": 403 or 413, or any answer whose body
    (Problem JSON ``detail`` or text) says so."""
    if exc.status in REFUSED_STATUS:
        return True
    return bool(TOO_MANY_CELLS.search(exc.body.decode("utf-8", "replace")))


class LearnedCells:
    """The cells per request a load asks for at most, lowered by each refusal, and what the
    manifest records of it."""

    def __init__(self, start: int, started_from: str | None = None) -> None:
        self.max_cells = self.start = int(start)
        self.started_from = started_from
        self.learned_from: str | None = None
        self.refused_requests = 0

    def refused(self, asked: int, half: int, exc: HttpStatusError) -> None:
        """A request of ``asked`` cells was refused; its bigger half has ``half``."""
        self.max_cells = min(self.max_cells, max(1, half))
        self.refused_requests += 1
        if self.learned_from is None:
            said = snippet(exc.body, 160)
            self.learned_from = f"HTTP {exc.status} for {asked} cells at {exc.url}: {said}"

    def as_manifest(self) -> dict[str, Any]:
        return {
            "max_cells": self.max_cells,
            "started_at": self.start,
            "started_from": self.started_from,
            "learned_from": self.learned_from,
            "refused_requests": self.refused_requests,
        }


def inherited_cells(
    manifests: Iterable[tuple[str, Mapping[str, Any]]],
    base_urls: Mapping[str, str],
    configured: int,
) -> tuple[int, str | None]:
    """The cell limit to start a load with: what the newest earlier load of the same base URLs
    recorded (never above ``configured``), else ``configured``; and that load's id.
    ``manifests``: (load id, manifest), newest first."""
    for load_id, manifest in manifests:
        recorded = (manifest.get("request_limits") or {}).get("max_cells")
        if manifest.get("base_urls") != dict(base_urls):
            continue
        if isinstance(recorded, int) and not isinstance(recorded, bool) and recorded >= 1:
            return min(recorded, configured), load_id
    return configured, None


def check_dimensions(
    dims: list[Dimension], requested: Mapping[str, Sequence[str]], url: str
) -> None:
    """The answer's dimensions are the request's variables, each with exactly the codes asked
    for: a dimension or code not asked for, or one missing, is a ResponseFormatError naming the
    URL and the dimension."""
    got = {d.id: d.codes for d in dims}
    for var in got.keys() - requested.keys():
        raise ResponseFormatError(
            url,
            f"the answer has dimension {var!r}, which the request did not ask for "
            f"(asked: {sorted(requested)})",
        )
    for var in requested.keys() - got.keys():
        raise ResponseFormatError(
            url,
            f"the answer lacks dimension {var!r}, which the request asked for "
            f"(answered: {sorted(got)})",
        )
    for var, asked in requested.items():
        if "*" in asked:
            continue
        extra = [c for c in got[var] if c not in set(asked)]
        missing = [c for c in asked if c not in set(got[var])]
        if extra or missing:
            raise ResponseFormatError(
                url,
                f"dimension {var!r} of the answer does not hold the codes asked for"
                + (f"; not asked: {extra[:10]}" if extra else "")
                + (f"; missing: {missing[:10]}" if missing else ""),
            )
