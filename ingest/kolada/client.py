"""Kolada client: metadata and bulk data, chunked to the API's path limits, paged via next_url."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
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
        """All values for the cross product, following every page; ``from_date`` = changed since."""
        result = FetchResult()
        digest = hashlib.sha256()
        params = {"per_page": str(self.config.per_page)}
        if from_date:
            params["from_date"] = from_date
        for url in self.data_urls(kpis, municipalities, years):
            for page_url, doc, body in self._paged(url, params):
                digest.update(body)
                with keeping_body(body):
                    result.rows.extend(parse_data_page(doc, page_url))
                result.pages += 1
            if progress is not None:
                progress.update(1)
        result.sha256 = digest.hexdigest()
        return result
