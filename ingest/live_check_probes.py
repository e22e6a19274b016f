"""The questions ``python -m ingest live-check`` asks: one small real request per endpoint the
pipeline uses, made through the loaders' own clients and parsers (so "what the loaders read" is
the loader code), each answer's shape then compared by ``ingest.live_check_shapes``.

Eight requests in all (retries aside): Kolada ``/kpi``, ``/municipality`` and ``/data`` (path
form, ``from_date``); PxWebApi 2.0 ``/tables``, one table's ``/metadata`` and one ``/data`` POST;
PxWeb v1 one table's metadata (GET) and one query (POST) of a table the catalogue uses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from ingest import live_check_shapes as shapes
from ingest.catalogue import check_catalogue, default_region, follow_up_scope, read_geographies
from ingest.config import HttpConfig, KoladaConfig
from ingest.errors import FetchError, ResponseFormatError
from ingest.http import HttpClient
from ingest.kolada.client import KoladaClient
from ingest.kolada.parse import parse_municipalities
from ingest.pxweb.client import SEX, TIME, YEAR, PxWebClient, TableMeta, to_scb_region
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.series import ScbSeries, parse_series_id

# Early, so that the answer holds every value of the years asked (a recent date may rightly
# answer nothing, and an empty answer shows no shape).
KOLADA_FROM_DATE = "2000-01-01"
# Years long published in Kolada (and held by the bundled snapshot the replay serves).
KOLADA_YEARS = (2021, 2022)
# The PxWebApi 2.0 table SCB's recorded answers show (Folkmängden per månad). The catalogue's
# SCB series are v1 tables, so this one stands for the v2 path the client also speaks.
SCB_V2_SERIES = "TAB6471|ContentsCode=000007SF|Alder=0-9|Kon=TotSa"
SCB_TABLE_QUERY = {"query": "befolkning", "pageSize": "5"}


@dataclass
class Exchange:
    """One request as the check saw it: the answer's document, or the error."""

    method: str
    url: str
    status: int | None
    ms: float
    doc: Any = None
    error: Exception | None = None


class RecordingHttp(HttpClient):
    """The project's HttpClient (timeouts, rate limit, bounded retries) that also keeps each
    answer's document, URL, status and time, so the check can compare what the loaders parsed."""

    def __init__(self, config: HttpConfig) -> None:
        super().__init__(config)
        self.exchanges: list[Exchange] = []
        self._statuses: dict[str, int] = {}
        self._lock = threading.Lock()
        self.session.hooks["response"].append(self._remember_status)

    def _remember_status(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            self._statuses[response.url] = response.status_code

    def get_json(self, url: str, params: dict[str, str] | None = None) -> tuple[Any, bytes]:
        return self._recorded("GET", lambda: super(RecordingHttp, self).get_json(url, params))

    def post_json(
        self, url: str, payload: Any, params: dict[str, str] | None = None
    ) -> tuple[Any, bytes]:
        return self._recorded(
            "POST", lambda: super(RecordingHttp, self).post_json(url, payload, params)
        )

    def _recorded(self, method: str, call: Callable[[], tuple[Any, bytes]]) -> tuple[Any, bytes]:
        t0 = time.monotonic()
        try:
            doc, body = call()
        except (FetchError, ResponseFormatError) as exc:
            self._add(Exchange(method, exc.url, None, _ms(t0), error=exc))
            raise
        self._add(Exchange(method, self.stats.urls[-1], None, _ms(t0), doc))
        return doc, body

    def _add(self, exchange: Exchange) -> None:
        with self._lock:
            exchange.status = self._statuses.get(exchange.url)
            self.exchanges.append(exchange)

    def mark(self) -> int:
        return len(self.exchanges)


def _ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000


@dataclass(frozen=True)
class Plan:
    """What to ask: ids from the catalogue and the region under follow-up."""

    kpis: tuple[str, ...]  # /kpi (the first is also the data KPI)
    region: str  # Kolada-style län code (00NN)
    kommun: str  # one of the region's kommuner
    years: tuple[int, ...]
    scb_v1_series: str
    scb_v2_series: str = SCB_V2_SERIES

    @classmethod
    def from_catalogue(cls, environ: Mapping[str, str]) -> Plan:
        """The catalogue's ids and RUS_REGION from ``environ`` (handed in by the command)."""
        indicators = check_catalogue()
        kolada = [i.source_series_id for i in indicators if i.source == "kolada"]
        scb = [
            i.source_series_id
            for i in indicators
            if i.source == "scb" and "/" in i.source_series_id
        ]
        region = environ.get("RUS_REGION") or default_region()
        scope = follow_up_scope(read_geographies(), region)
        kommuner = [g for g in scope if not g.startswith("00")]
        if not kolada or not scb or not kommuner:
            raise ValueError(
                "the catalogue must hold a Kolada KPI and an SCB v1 series, and the region "
                f"{region} a kommun, for the live check to ask about"
            )
        return cls(tuple(kolada[:2]), region, kommuner[0], KOLADA_YEARS, scb[0])


@dataclass(frozen=True)
class Question:
    """One endpoint: its name, the HTTP client it goes through, and how to ask and compare."""

    name: str
    base_url: str
    http: RecordingHttp
    ask: Callable[[], list[str]]
    needs: str | None = None  # a question whose answer this one builds on


@dataclass
class LiveQuestions:
    """The eight questions, asked with the loaders' clients on recording HTTP clients."""

    kolada_config: KoladaConfig
    pxweb_config: PxWebConfig
    plan: Plan
    kolada_http: RecordingHttp
    scb_http: RecordingHttp
    _tables: dict[str, tuple[ScbSeries, TableMeta, dict[str, list[str]]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        self.kolada = KoladaClient(self.kolada_config, self.kolada_http)
        self.pxweb = PxWebClient(self.pxweb_config, self.scb_http)

    def questions(self) -> list[Question]:
        k, v1, v2 = (
            self.kolada_config.base_url,
            self.pxweb_config.v1_base_url,
            self.pxweb_config.v2_base_url,
        )
        kh, sh = self.kolada_http, self.scb_http
        return [
            Question("kolada /kpi", k, kh, self.kolada_kpi),
            Question("kolada /municipality", k, kh, self.kolada_municipality),
            Question("kolada /data", k, kh, self.kolada_data),
            Question("scb v2 /tables", v2, sh, self.scb_v2_tables),
            Question("scb v2 /tables/{id}/metadata", v2, sh, self.scb_v2_metadata),
            Question(
                "scb v2 /tables/{id}/data", v2, sh, self.scb_v2_data, "scb v2 /tables/{id}/metadata"
            ),
            Question("scb v1 GET table", v1, sh, self.scb_v1_metadata),
            Question("scb v1 POST table", v1, sh, self.scb_v1_data, "scb v1 GET table"),
        ]

    # -- Kolada --------------------------------------------------------------------------------
    def kolada_kpi(self) -> list[str]:
        ids = self.plan.kpis
        return _compared(
            self.kolada_http, lambda: self.kolada.kpis(ids), lambda d: shapes.kolada_kpis(d, ids)
        )

    def kolada_municipality(self) -> list[str]:
        types = {"0000": "L", self.plan.kommun: "K"}
        # The client's form for ids (as /kpi/<ids>), parsed by its municipality parser.
        url = f"{self.kolada_config.base_url}/municipality/{quote(','.join(types), safe=',')}"

        def ask() -> None:
            doc, _ = self.kolada_http.get_json(url)
            parse_municipalities(doc, url)

        return _compared(self.kolada_http, ask, lambda d: shapes.kolada_municipalities(d, types))

    def kolada_data(self) -> list[str]:
        kpis, munis, years = [self.plan.kpis[0]], [self.plan.kommun], list(self.plan.years)
        return _compared(
            self.kolada_http,
            lambda: self.kolada.fetch_values(kpis, munis, years, from_date=KOLADA_FROM_DATE),
            lambda d: shapes.kolada_data(d, kpis, munis, years),
        )

    # -- SCB -----------------------------------------------------------------------------------
    def scb_v2_tables(self) -> list[str]:
        url = f"{self.pxweb_config.v2_base_url}/tables"
        params = {**SCB_TABLE_QUERY, "lang": self.pxweb_config.lang}
        return _compared(
            self.scb_http, lambda: self.scb_http.get_json(url, params), shapes.scb_table_list
        )

    def scb_v2_metadata(self) -> list[str]:
        def ask() -> None:
            series, meta, selection = self._table(self.plan.scb_v2_series, [])
            times = meta.variable(TIME).values  # selection() checked it is there
            # A monthly table: the last period, which selection()'s annual filter leaves out.
            self._tables["v2"] = (series, meta, {**selection, TIME: [times[-1]]})

        return _compared(self.scb_http, ask, shapes.jsonstat_dataset)

    def scb_v2_data(self) -> list[str]:
        return self._data("v2", annual=False)

    def scb_v1_metadata(self) -> list[str]:
        def ask() -> None:
            series = parse_series_id(self.plan.scb_v1_series)
            meta = self.pxweb.table_metadata(series)
            time_var = meta.variable(TIME)
            years = [int(c) for c in (time_var.values if time_var else ()) if YEAR.match(c)]
            if not years:
                raise ValueError(f"table {series.table} has no year (YYYY) among its Tid codes")
            # The latest year: one cell for the region under follow-up.
            self._tables["v1"] = self._table(series.raw, years[-1:], meta)

        return _compared(self.scb_http, ask, shapes.scb_v1_metadata)

    def scb_v1_data(self) -> list[str]:
        return self._data("v1", annual=True)

    def _table(
        self, series_id: str, years: list[int], meta: TableMeta | None = None
    ) -> tuple[ScbSeries, TableMeta, dict[str, list[str]]]:
        """The table's metadata and the loader's selection for the region under follow-up."""
        series = parse_series_id(series_id)
        meta = meta or self.pxweb.table_metadata(series)
        selection = self.pxweb.selection(series, meta, [self.plan.region], years)
        if not selection.get("Region"):
            raise ValueError(
                f"table {series.table} has no region {to_scb_region(self.plan.region)!r} "
                f"(the län under follow-up)"
            )
        return series, meta, selection

    def _data(self, api: str, annual: bool) -> list[str]:
        if api not in self._tables:
            raise ValueError(f"no {api} selection: the table's metadata was not read")
        series, _, selection = self._tables[api]
        cells: list[dict[str, Any]] = []

        def ask() -> None:
            cells.extend(self.pxweb.fetch_cells(series, selection)[0])

        def compare(doc: Any) -> list[str]:
            out = shapes.jsonstat_dataset(doc, selection)
            if annual and not out:
                out = shapes.scb_annual_cells(cells, series.fixed_code(SEX))
            return out

        return _compared(self.scb_http, ask, compare)


def _compared(
    http: RecordingHttp, ask: Callable[[], Any], compare: Callable[[Any], list[str]]
) -> list[str]:
    """Ask through the loader code, then compare the first answer's shape. A loader that refuses
    the answer adds what it says; an HTTP failure, or an answer that is no JSON, is raised."""
    mark = http.mark()
    refused: Exception | None = None
    try:
        ask()
    except (ResponseFormatError, ValueError) as exc:
        refused = exc
    docs = [e.doc for e in http.exchanges[mark:] if e.error is None]
    if not docs:
        raise refused or ResponseFormatError("(no request)", "nothing was asked")
    differences = compare(docs[0])
    if refused is not None:
        said = refused.problem if isinstance(refused, ResponseFormatError) else str(refused)
        differences.append(f"the loader refuses the answer: {said}")
    return differences
