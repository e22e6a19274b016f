"""Kolada client: metadata and bulk data, cut to the API's id limits, paged via next_url.

Data requests start at ``max_ids_per_segment`` (25) ids per dimension, or at the sizes an earlier
load learned; a request refused as too large (422, 414, or a 400 saying so) is split in halves
along its widest dimension and asked again (``split.py``), and an answer that looks cut short is
split and asked again too. A refusal of one KPI × one municipality × one year is a
:class:`RequestTooLargeError` naming the URL and the answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ingest.config import KoladaConfig, kolada_v2_retired
from ingest.errors import (
    ApiRetiredError,
    HttpStatusError,
    RequestTooLargeError,
    ResponseFormatError,
    keeping_body,
)
from ingest.http import HttpClient
from ingest.kolada.parse import (
    envelope_values,
    next_page_url,
    parse_data_page,
    parse_kpis,
    parse_municipalities,
    retired_answer,
)
from ingest.kolada.split import (
    DataRequest,
    LearnedSizes,
    chunks,
    fit,
    plan,
    refused_as_too_large,
    truncated,
)

MAX_PAGES = 10_000  # a guard against a server that links pages in a loop
SINGLE = "one KPI, one municipality and one year"


@dataclass
class FetchResult:
    """Rows of one bulk fetch with what is needed for the load manifest."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    sha256: str = ""


@dataclass
class _Part:
    """One request's rows over all its pages (or its halves'), page count and sha256."""

    rows: list[dict[str, Any]]
    pages: int
    digest: bytes

    @classmethod
    def joined(cls, parts: list[_Part]) -> _Part:
        digest = hashlib.sha256(b"".join(p.digest for p in parts)).digest()
        return cls([r for p in parts for r in p.rows], sum(p.pages for p in parts), digest)


def config_sizes(config: KoladaConfig) -> dict[str, int]:
    """The configured ids per request per dimension (the most ever asked)."""
    return {
        "kpi": config.max_ids_per_segment,
        "municipality": config.max_ids_per_segment,
        "year": config.max_years_per_segment,
    }


class KoladaClient:
    """Talks to ``{base_url}/kpi``, ``/municipality`` and ``/data/kpi/…/municipality/…/year/…``.

    ``limits`` holds the ids per request per dimension, lowered by refusals as the client goes
    (default: the configured sizes)."""

    def __init__(
        self,
        config: KoladaConfig,
        http: HttpClient | None = None,
        limits: LearnedSizes | None = None,
    ) -> None:
        self.config = config
        self.http = http or HttpClient()
        self.limits = limits or LearnedSizes(config_sizes(config))

    def _get(self, url: str, params: dict[str, str] | None) -> tuple[Any, bytes]:
        """GET JSON; a deprecation answer (any status) is an ApiRetiredError naming the URL set."""
        try:
            doc, body = self.http.get_json(url, params)
        except HttpStatusError as exc:
            try:
                said = retired_answer(json.loads(exc.body))
            except ValueError:
                said = None
            if said:
                raise ApiRetiredError(url, kolada_v2_retired(self.config.base_url, said)) from exc
            raise
        said = retired_answer(doc)
        if said:
            raise ApiRetiredError(url, kolada_v2_retired(self.config.base_url, said))
        return doc, body

    def _paged(
        self, url: str, params: dict[str, str] | None = None
    ) -> Iterator[tuple[str, Any, bytes]]:
        seen: set[str] = set()
        next_url: str | None = url
        first = True
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise ResponseFormatError(next_url, "pagination loops or exceeds the page limit")
            seen.add(next_url)
            doc, body = self._get(next_url, params if first else None)
            first = False
            yield next_url, doc, body
            next_url = next_page_url(doc)

    def kpis(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in chunks(sorted(ids), self.limits.sizes()["kpi"]):
            out.extend(self._kpi_objects(part))
        return out

    def _kpi_objects(self, ids: tuple[str, ...]) -> list[dict[str, Any]]:
        """``/kpi/<ids>`` over its pages; halved and asked again when refused as too large."""
        url = f"{self.config.base_url}/kpi/{quote(','.join(ids), safe=',')}"
        try:
            pages = list(self._paged(url))
        except HttpStatusError as exc:
            if not refused_as_too_large(exc):
                raise
            if len(ids) == 1:
                raise RequestTooLargeError(exc, "one KPI") from exc
            self.limits.refused("kpi", len(ids), exc)
            mid = -(-len(ids) // 2)
            return self._kpi_objects(ids[:mid]) + self._kpi_objects(ids[mid:])
        return [item for page_url, doc, _ in pages for item in parse_kpis(doc, page_url)]

    def municipalities(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page_url, doc, _ in self._paged(f"{self.config.base_url}/municipality"):
            out.extend(parse_municipalities(doc, page_url))
        return out

    def requests(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Iterable[int]
    ) -> list[DataRequest]:
        """The data requests for the cross product at the sizes known now."""
        return plan(kpis, municipalities, years, self.limits.sizes())

    def data_urls(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Iterable[int]
    ) -> list[str]:
        """One URL per request, at the sizes known now (≤25 ids per path segment)."""
        return [self.config.base_url + r.path() for r in self.requests(kpis, municipalities, years)]

    def fetch_values(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        years: Iterable[int],
        from_date: str | None = None,
        progress: Any = None,
    ) -> FetchResult:
        """All values for the cross product, following every page; ``from_date`` = changed since.

        Up to ``config.concurrency`` requests are fetched at once, each following its own pages
        (and split when refused or cut short); the rows, page count and payload hash (sha256
        over each request's sha256 of its page bodies) are assembled in request order. The
        first failure cancels what has not started and is raised.
        """
        params = {"per_page": str(self.config.per_page)}
        if from_date:
            params["from_date"] = from_date
        planned = self.requests(kpis, municipalities, years)
        with ThreadPoolExecutor(self.config.concurrency, thread_name_prefix="kolada") as pool:
            futures = [pool.submit(self._fetch, request, params) for request in planned]
            try:
                for _ in as_completed(futures):
                    if progress is not None:
                        progress.update(1)
                parts = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        whole = _Part.joined(parts)
        return FetchResult(whole.rows, whole.pages, whole.digest.hex())

    def _fetch(self, request: DataRequest, params: dict[str, str]) -> _Part:
        """One request's rows: cut to the sizes known now, split in halves when refused as too
        large or when its answer looks cut short; rows of a refused or cut answer are dropped
        (its halves fetch them again), so nothing is lost or doubled."""
        fitted = fit(request, self.limits.sizes())
        if len(fitted) > 1:
            return _Part.joined([self._fetch(r, params) for r in fitted])
        url = self.config.base_url + request.path()
        try:
            part, page_items, count = self._fetch_pages(url, params)
        except HttpStatusError as exc:
            if not refused_as_too_large(exc):
                raise
            if not request.splittable:
                raise RequestTooLargeError(exc, SINGLE) from exc
            dim = request.widest()
            self.limits.refused(dim, len(request.ids(dim)), exc)  # fewer than refused now
            refit = fit(request, self.limits.sizes())
            return _Part.joined([self._fetch(r, params) for r in refit])
        cut = truncated(page_items, count, self.config.per_page, request.possible_items)
        if cut is None:
            self.limits.worked(request)
            return part
        if not request.splittable:
            raise ResponseFormatError(url, f"{cut}; a request of {SINGLE} cannot be split further")
        self.limits.truncated()
        return _Part.joined([self._fetch(h, params) for h in request.halves(request.widest())])

    def _fetch_pages(self, url: str, params: dict[str, str]) -> tuple[_Part, list[int], Any]:
        """One URL's rows over all its pages; the data objects per page; the first ``count``."""
        rows: list[dict[str, Any]] = []
        digest = hashlib.sha256()
        page_items: list[int] = []
        count = None
        for page_url, doc, body in self._paged(url, params):
            with keeping_body(body):
                rows.extend(parse_data_page(doc, page_url))
            if not page_items:
                count = doc.get("count")
            page_items.append(len(envelope_values(doc, page_url)))
            digest.update(body)
        return _Part(rows, len(page_items), digest.digest()), page_items, count
