"""Kolada client: metadata and bulk data, chunked to the API's path limits, paged via next_url."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ingest.config import KoladaConfig
from ingest.errors import ResponseFormatError, keeping_body
from ingest.http import HttpClient
from ingest.kolada.parse import next_page_url, parse_data_page, parse_kpis, parse_municipalities

MAX_PAGES = 10_000  # a guard against a server that links pages in a loop


def chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


@dataclass
class FetchResult:
    """Rows of one bulk fetch with what is needed for the load manifest."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    pages: int = 0
    sha256: str = ""


class KoladaClient:
    """Talks to ``{base_url}/kpi``, ``/municipality`` and ``/data/kpi/…/municipality/…/year/…``."""

    def __init__(self, config: KoladaConfig, http: HttpClient | None = None) -> None:
        self.config = config
        self.http = http or HttpClient()

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
            doc, body = self.http.get_json(next_url, params if first else None)
            first = False
            yield next_url, doc, body
            next_url = next_page_url(doc)

    def kpis(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for part in chunks(sorted(ids), self.config.max_ids_per_segment):
            url = f"{self.config.base_url}/kpi/{quote(','.join(part), safe=',')}"
            for page_url, doc, _ in self._paged(url):
                out.extend(parse_kpis(doc, page_url))
        return out

    def municipalities(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for page_url, doc, _ in self._paged(f"{self.config.base_url}/municipality"):
            out.extend(parse_municipalities(doc, page_url))
        return out

    def data_urls(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Iterable[int]
    ) -> list[str]:
        """One URL per ≤25 KPIs × ≤25 municipalities × ≤25 years (the API's segment limit)."""
        years = sorted(set(years))
        urls = []
        for k in chunks(sorted(set(kpis)), self.config.max_ids_per_segment):
            for m in chunks(sorted(set(municipalities)), self.config.max_ids_per_segment):
                for y in chunks(years, self.config.max_years_per_segment):
                    urls.append(
                        f"{self.config.base_url}/data/kpi/{','.join(k)}"
                        f"/municipality/{','.join(m)}/year/{','.join(map(str, y))}"
                    )
        return urls

    def fetch_values(
        self,
        kpis: Sequence[str],
        municipalities: Sequence[str],
        years: Iterable[int],
        from_date: str | None = None,
        progress: Any = None,
    ) -> FetchResult:
        """All values for the cross product, following every page; ``from_date`` = changed since.

        Up to ``config.concurrency`` URLs are fetched at once, each following its own pages; the
        rows, page count and payload hash (sha256 over each URL's sha256 of its page bodies) are
        assembled in URL order, so they do not depend on which answer came first. The first
        failure cancels what has not started and is raised.
        """
        params = {"per_page": str(self.config.per_page)}
        if from_date:
            params["from_date"] = from_date
        urls = self.data_urls(kpis, municipalities, years)
        with ThreadPoolExecutor(self.config.concurrency, thread_name_prefix="kolada") as pool:
            futures = [pool.submit(self._fetch_pages, url, params) for url in urls]
            try:
                for _ in as_completed(futures):
                    if progress is not None:
                        progress.update(1)
                parts = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        result = FetchResult()
        digest = hashlib.sha256()
        for rows, pages, pages_sha256 in parts:
            result.rows.extend(rows)
            result.pages += pages
            digest.update(pages_sha256)
        result.sha256 = digest.hexdigest()
        return result

    def _fetch_pages(
        self, url: str, params: dict[str, str]
    ) -> tuple[list[dict[str, Any]], int, bytes]:
        """One URL's rows over all its pages, the page count and the pages' sha256."""
        rows: list[dict[str, Any]] = []
        digest = hashlib.sha256()
        pages = 0
        for page_url, doc, body in self._paged(url, params):
            with keeping_body(body):
                rows.extend(parse_data_page(doc, page_url))
            digest.update(body)
            pages += 1
        return rows, pages, digest.digest()
