"""The project's fetch against the peer clients from PyPI, same keys, same replay server.

- Kolada: every catalogue KPI × Riket, the 21 län and the region's kommuner × 2005–2026, fetched
  by the project's KoladaClient (v3 path form, 25 ids per segment, 4 requests in flight),
  ``koladapy`` 1.0.1 (v3 query form, its own batches of 25; its 5 calls/s throttle lifted, as the
  project's rate limit does not apply to a loopback host either) and ``pykolada`` 1.0.0 (v2,
  module-level ``BASE_URL``; it does not batch, so it is called per 25 × 25 block, as a user of
  it must, since the API refuses longer lists).
- SCB: PxWebApi 2.0 table TAB6471 (the v2 table the replay serves from SCB's recorded answers;
  ``pxwebpy`` speaks v2 only): 21 län × 11 age groups × 3 sex codes × 4 months, by the project's
  PxWebClient (metadata, then the data) and ``pxwebpy`` 0.6.0 (its /config, /tables, then the
  data; its cache off).

Requests are counted at the transport (``requests.adapters.HTTPAdapter.send``), for every client
alike. Each client fetches once untimed, then ``repeat`` times; the median is reported.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from ingest.catalogue import follow_up_scope, read_geographies, read_indicators
from ingest.snapshot import BUNDLED

PEERS = {"kolada": ("koladapy", "pykolada"), "scb": ("pxwebpy",)}
V2_TABLE = "TAB6471"


def v2_selection() -> dict[str, list[str]]:
    """Every code SCB's recorded TAB6471 answer holds, per variable (what the replay serves)."""
    doc = json.loads(
        (BUNDLED.scb_dir / "recorded" / f"scb_{V2_TABLE}_data.json").read_text("utf-8")
    )
    return {
        dim: sorted(index, key=index.get)
        for dim in doc["id"]
        for index in [doc["dimension"][dim]["category"]["index"]]
    }


@dataclass
class Timing:
    client: str
    seconds: float
    requests: int
    values: int
    note: str = ""


@contextmanager
def counting_requests() -> Iterator[list[int]]:
    """Counts every request any ``requests``-based client sends while inside."""
    from requests.adapters import HTTPAdapter

    counter = [0]
    original = HTTPAdapter.send

    def send(self, request, *args, **kwargs):
        counter[0] += 1
        return original(self, request, *args, **kwargs)

    HTTPAdapter.send = send
    try:
        yield counter
    finally:
        HTTPAdapter.send = original


def kolada_keys(region: str = "0018") -> tuple[list[str], list[str], list[int]]:
    kpis = sorted({i.source_series_id for i in read_indicators() if i.source == "kolada"})
    return kpis, follow_up_scope(read_geographies(), region), list(range(2005, 2027))


def _chunks(items: list, size: int = 25) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def ours_kolada(url: str, keys) -> int:
    from ingest.http import HttpClient
    from orchestration.defs.resources import KoladaResource

    resource = KoladaResource(base_url=f"{url}/v3")
    client_config = resource.kolada_config()
    from ingest.kolada.client import KoladaClient

    client = KoladaClient(client_config, HttpClient(resource.http_config()))
    return len(client.fetch_values(*keys).rows)


def koladapy_kolada(url: str, keys) -> int:
    from koladapy import KoladaAPI

    api = KoladaAPI(base_url=f"{url}/v3/", max_requests_per_second=1e9)
    kpis, geos, years = keys
    items = api.get_values(kpi_id=kpis, municipality_id=geos, years=years)
    return sum(len(item.get("values", [])) for item in items)


def pykolada_kolada(url: str, keys) -> int:
    import pykolada.pykolada as pk

    pk.BASE_URL = f"{url}/v2/"
    kpis, geos, years = keys
    rows = 0
    for kpi_part in _chunks(kpis):
        for geo_part in _chunks(geos):
            rows += len(
                pk.get_data(kpi=kpi_part, municipality=geo_part, year=list(map(str, years)))
            )
    return rows


def ours_scb(url: str, _keys=None) -> int:
    from ingest.http import HttpClient
    from ingest.pxweb.client import PxWebClient
    from ingest.pxweb.series import parse_series_id
    from orchestration.defs.resources import PxWebResource

    resource = PxWebResource(
        v1_base_url=f"{url}/OV0104/v1/doris/sv/ssd", v2_base_url=f"{url}/api/v2"
    )
    client = PxWebClient(resource.pxweb_config(), HttpClient(resource.http_config()))
    series = parse_series_id(f"{V2_TABLE}|ContentsCode=000007SF")
    client.table_metadata(series)  # as fetch_values does: the codes are checked against it
    cells, _, _ = client.fetch_cells(series, v2_selection())
    return len(cells)


def pxwebpy_scb(url: str, _keys=None) -> int:
    from pxweb import PxApi

    api = PxApi(f"{url}/api/v2", disable_cache=True)
    return len(api.get_table_data(V2_TABLE, value_codes=v2_selection()))


FETCHERS: dict[str, dict[str, Callable]] = {
    "kolada": {
        "rus-pipeline": ours_kolada,
        "koladapy": koladapy_kolada,
        "pykolada": pykolada_kolada,
    },
    "scb": {"rus-pipeline": ours_scb, "pxwebpy": pxwebpy_scb},
}


def time_client(name: str, fetch: Callable, url: str, keys, repeat: int) -> Timing:
    """The median of ``repeat`` timed fetches, after one untimed (imports, connections)."""
    seconds, requests, values = [], 0, 0
    with contextlib.redirect_stderr(io.StringIO()):
        fetch(url, keys)
    for _ in range(repeat):
        # koladapy draws tqdm progress bars on stderr: kept out of the table.
        with counting_requests() as counter, contextlib.redirect_stderr(io.StringIO()):
            t0 = time.perf_counter()
            values = fetch(url, keys)
            seconds.append(time.perf_counter() - t0)
        requests = counter[0]
    return Timing(name, round(statistics.median(seconds), 3), requests, values)


def compare(url: str, repeat: int = 3) -> dict[str, list[Timing]]:
    """Every client of every source, timed; a peer not installed is reported, not timed."""
    keys = {"kolada": kolada_keys(), "scb": None}
    out: dict[str, list[Timing]] = {}
    for source, fetchers in FETCHERS.items():
        out[source] = []
        for name, fetch in fetchers.items():
            try:
                out[source].append(time_client(name, fetch, url, keys[source], repeat))
            except ImportError:
                out[source].append(Timing(name, float("nan"), 0, 0, "not installed (make bench)"))
    return out
