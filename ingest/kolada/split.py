"""Kolada's undocumented limits, as plain functions: how data requests are cut, when an answer
means "too many ids" or "this page was cut short", and the sizes a load learns.

Live Kolada v3 answers HTTP 422 past an id limit it does not publish (one report: 33 kommuner
refused, 8 accepted; another: "about twenty"). A request refused that way is split in halves
along its widest dimension and each half asked again, down to one id; the largest size per
dimension that is still asked for is remembered for the rest of the load and recorded in the
load manifest (``request_limits``), where the next load starts from it.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.errors import HttpStatusError, snippet

DIMENSIONS = ("kpi", "municipality", "year")
# 422: Kolada's answer past its id limit; 414: a URI too long for a front server.
REFUSED_STATUS = frozenset({422, 414})
# A 400 counts as "too large" only when its body says so (a bad parameter is a real error).
TOO_LONG = re.compile(
    r"(?i)(too long|too large|too many|uri.{0,20}long|request.{0,20}(long|large))"
)


def chunks(items: Sequence[Any], size: int) -> list[tuple[Any, ...]]:
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


@dataclass(frozen=True)
class DataRequest:
    """One data request: KPIs × municipalities × years (each sorted, without repeats)."""

    kpis: tuple[str, ...]
    municipalities: tuple[str, ...]
    years: tuple[int, ...]

    def ids(self, dim: str) -> tuple[Any, ...]:
        return {"kpi": self.kpis, "municipality": self.municipalities, "year": self.years}[dim]

    def sizes(self) -> dict[str, int]:
        return {dim: len(self.ids(dim)) for dim in DIMENSIONS}

    def path(self) -> str:
        return (
            f"/data/kpi/{','.join(self.kpis)}/municipality/{','.join(self.municipalities)}"
            f"/year/{','.join(map(str, self.years))}"
        )

    @property
    def splittable(self) -> bool:
        return any(n > 1 for n in self.sizes().values())

    @property
    def possible_items(self) -> int:
        """The most data objects the answer can hold: one per KPI × municipality × year."""
        return math.prod(self.sizes().values())

    def widest(self) -> str:
        """The dimension with the most ids (the first of DIMENSIONS on a tie)."""
        sizes = self.sizes()
        return max(DIMENSIONS, key=lambda dim: (sizes[dim], -DIMENSIONS.index(dim)))

    def halves(self, dim: str) -> tuple[DataRequest, DataRequest]:
        """This request cut in two along ``dim`` (the first half takes the odd id)."""
        ids = self.ids(dim)
        if len(ids) < 2:
            raise ValueError(f"cannot split {len(ids)} {dim} id(s) in halves")
        mid = -(-len(ids) // 2)
        return self._with(dim, ids[:mid]), self._with(dim, ids[mid:])

    def _with(self, dim: str, ids: tuple[Any, ...]) -> DataRequest:
        parts = {d: self.ids(d) for d in DIMENSIONS} | {dim: ids}
        return DataRequest(parts["kpi"], parts["municipality"], parts["year"])


def plan(
    kpis: Iterable[str],
    municipalities: Iterable[str],
    years: Iterable[int],
    sizes: Mapping[str, int],
) -> list[DataRequest]:
    """The requests covering ``kpis × municipalities × years``, each at most ``sizes`` ids per
    dimension; every combination is in exactly one request (KPIs outermost, years innermost)."""
    for dim in DIMENSIONS:
        if sizes.get(dim, 0) < 1:
            raise ValueError(f"ids per request for {dim!r} must be >= 1, got {sizes.get(dim)!r}")
    return [
        DataRequest(k, m, y)
        for k in chunks(sorted(set(kpis)), sizes["kpi"])
        for m in chunks(sorted(set(municipalities)), sizes["municipality"])
        for y in chunks(sorted(set(years)), sizes["year"])
    ]


def fit(request: DataRequest, sizes: Mapping[str, int]) -> list[DataRequest]:
    """``request`` cut to ``sizes`` (itself alone when it fits)."""
    if all(n <= sizes[dim] for dim, n in request.sizes().items()):
        return [request]
    return plan(request.kpis, request.municipalities, request.years, sizes)


def refused_as_too_large(exc: HttpStatusError) -> bool:
    """True when an error answer means "too many ids": 422 or 414, or a 400 whose body says the
    request or URI is too long."""
    if exc.status in REFUSED_STATUS:
        return True
    return exc.status == 400 and bool(TOO_LONG.search(exc.body.decode("utf-8", "replace")))


def truncated(page_items: Sequence[int], count: Any, per_page: int, possible: int) -> str | None:
    """Why the pages of one request look cut short, or None when they look whole.

    ``page_items``: the data objects on each page followed; ``count``: the first page's
    ``count`` (v3: the total; v2: that page's length). A last page of exactly ``per_page`` items
    without ``next_url`` is a cut (the 5 000-row cap that lost KPIs "without an error"), unless
    every object the request can hold (``possible``) already came back."""
    collected = sum(page_items)
    if isinstance(count, int) and not isinstance(count, bool) and count > collected:
        return f"'count' says {count} items but the pages held {collected}"
    if page_items and page_items[-1] == per_page and collected < possible:
        return (
            f"the last page holds exactly per_page={per_page} items and no next_url "
            f"(treated as truncated)"
        )
    return None


class LearnedSizes:
    """The ids per request per dimension a load asks with (shared by the load's threads), and
    what the manifest records of it.

    Once a dimension was refused at ``n`` ids, its size is the largest that worked below the
    smallest ``n`` refused, and never less than half of that ``n``: what a refusal halves, a
    success below it gives back (a refusal at 9 after 7 worked keeps 7, not 5)."""

    def __init__(self, start: Mapping[str, int], started_from: str | None = None) -> None:
        self._lock = threading.Lock()
        self.start = {dim: int(start[dim]) for dim in DIMENSIONS}
        self.started_from = started_from
        self.learned_from: str | None = None
        self.refused_requests = 0
        self.truncated_requests = 0
        self._refused: dict[str, int] = {}  # dimension → fewest ids refused in it
        self._worked: dict[str, set[int]] = {dim: set() for dim in DIMENSIONS}

    def _size(self, dim: str) -> int:
        refused = self._refused.get(dim)
        if refused is None:
            return self.start[dim]
        below = [n for n in self._worked[dim] if n < refused]
        return min(self.start[dim], max(-(-refused // 2), *below, 1))

    def sizes(self) -> dict[str, int]:
        with self._lock:
            return {dim: self._size(dim) for dim in DIMENSIONS}

    def refused(self, dim: str, asked: int, exc: HttpStatusError) -> None:
        """``asked`` ids of ``dim`` were refused: ask fewer from now on (see the class)."""
        with self._lock:
            self._refused[dim] = min(self._refused.get(dim, asked), asked)
            self.refused_requests += 1
            if self.learned_from is None:
                said = snippet(exc.body, 160)
                self.learned_from = f"HTTP {exc.status} for {asked} {dim} ids at {exc.url}: {said}"

    def worked(self, request: DataRequest) -> None:
        """``request`` was answered: its size in each dimension works."""
        with self._lock:
            for dim, n in request.sizes().items():
                self._worked[dim].add(n)

    def truncated(self) -> None:
        with self._lock:
            self.truncated_requests += 1

    def as_manifest(self) -> dict[str, Any]:
        with self._lock:
            return {
                "ids_per_request": {dim: self._size(dim) for dim in DIMENSIONS},
                "started_at": dict(self.start),
                "started_from": self.started_from,
                "learned_from": self.learned_from,
                "refused_requests": self.refused_requests,
                "truncated_requests": self.truncated_requests,
            }


def inherited_sizes(
    manifests: Iterable[tuple[str, Mapping[str, Any]]], base_url: str, maxima: Mapping[str, int]
) -> tuple[dict[str, int], str | None]:
    """The sizes to start a load with: those the newest earlier load of the same base URL
    recorded (never above ``maxima``, the configured sizes), else ``maxima``; and that load's
    id. ``manifests``: (load id, manifest), newest first."""
    for load_id, manifest in manifests:
        recorded = (manifest.get("request_limits") or {}).get("ids_per_request")
        if manifest.get("base_url") != base_url or not isinstance(recorded, dict):
            continue
        try:
            sizes = {dim: max(1, min(int(recorded[dim]), maxima[dim])) for dim in DIMENSIONS}
        except (KeyError, TypeError, ValueError):
            continue  # a manifest written by hand or by another version: ignored
        return sizes, load_id
    return dict(maxima), None
