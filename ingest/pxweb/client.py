"""SCB PxWeb client (v1 and PxWebApi 2.0): table metadata, and annual values split to the cell
limit.

Codes: the region variable is ``Region`` (SCB ``00`` Riket, ``NN`` län, ``NNNN`` kommun; rows carry
the Kolada-style ``0000``/``00NN``/``NNNN``), time is ``Tid`` and sex ``Kon`` (``1`` → M, ``2`` → K,
the table's total code → T).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ingest.errors import HttpStatusError, RequestTooLargeError, ResponseFormatError, keeping_body
from ingest.http import HttpClient
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.jsonstat import dimensions, jsonstat2_to_rows
from ingest.pxweb.series import ScbSeries
from ingest.pxweb.split import (  # noqa: F401 (chunks, split_selection: re-exported)
    LearnedCells,
    cells,
    check_dimensions,
    chunks,
    fit,
    halves,
    refused_as_too_large,
    split_selection,
)

log = logging.getLogger(__name__)

REGION = "Region"
TIME = "Tid"
SEX = "Kon"
# SCB's sex codes. The total is "1+2" in most tables; "TotSa" in the v2 population tables
# (recorded TAB6471) and "SAMANST" ("samtliga anställda") in AM9906A/RegionInd19M2N1 (per Region
# Dalarna's Skript/matchning.R).
KON_TO_SEX = {"1": "M", "2": "K", "1+2": "T", "TotSa": "T", "SAMANST": "T"}
SEXES = ("T", "K", "M")
YEAR = re.compile(r"^\d{4}$")
SCB_REGION = re.compile(r"^(\d{2}|\d{4})$")
KOLADA_REGION = re.compile(r"^\d{4}$")


def to_kolada_region(code: str) -> str:
    """SCB ``00`` → ``0000``, ``01`` → ``0001``, ``0180`` → ``0180``."""
    if not SCB_REGION.match(code):
        raise ValueError(f"SCB region code {code!r}: expected 2 digits (Riket/län) or 4 (kommun)")
    return code.zfill(4) if len(code) == 2 else code


def to_scb_region(code: str) -> str:
    """Kolada-style ``0000`` → ``00``, ``0001`` → ``01``, ``0180`` → ``0180``."""
    if not KOLADA_REGION.match(code):
        raise ValueError(
            f"region code {code!r}: expected Kolada style 0000 (Riket), 00NN (län) or NNNN (kommun)"
        )
    return code[2:] if code.startswith("00") else code


@dataclass(frozen=True)
class Variable:
    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    elimination: bool = False
    time: bool = False


@dataclass(frozen=True)
class TableMeta:
    """A table's variables in the API's order, with the URL they were read from."""

    table: str
    api: str
    title: str
    variables: tuple[Variable, ...]
    url: str
    units: dict[str, dict[str, Any]] = field(default_factory=dict)

    def variable(self, code: str) -> Variable | None:
        return next((v for v in self.variables if v.code == code), None)


@dataclass
class FetchResult:
    """Rows of one fetch with what the load manifest needs: data requests and their sha256."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    sha256: str = ""


class PxWebClient:
    """Talks to SCB's PxWeb v1 (``{v1_base}/{table path}``) and PxWebApi 2.0
    (``{v2_base}/tables/{id}``)."""

    def __init__(
        self,
        config: PxWebConfig,
        http: HttpClient | None = None,
        limits: LearnedCells | None = None,
    ) -> None:
        self.config = config
        self.http = http or HttpClient()
        # The cells per request, lowered when SCB refuses a request as too large.
        self.limits = limits or LearnedCells(config.max_cells)

    # -- metadata ------------------------------------------------------------------------------
    def table_url(self, series: ScbSeries) -> str:
        if series.api == "v1":
            return f"{self.config.v1_base_url}/{quote(series.table)}"
        return f"{self.config.v2_base_url}/tables/{quote(series.table)}"

    def table_metadata(self, series: ScbSeries) -> TableMeta:
        """The table's variables: v1 ``GET {table}``; v2 ``GET tables/{id}/metadata``."""
        if series.api == "v1":
            url = self.table_url(series)
            doc, _ = self.http.get_json(url)
            return _v1_metadata(series.table, doc, url)
        url = f"{self.table_url(series)}/metadata"
        params = {"lang": self.config.lang, "outputFormat": "json-stat2"}
        doc, _ = self.http.get_json(url, params)
        return _v2_metadata(series.table, doc, url)

    # -- data ----------------------------------------------------------------------------------
    def fetch_cells(
        self, series: ScbSeries, selection: dict[str, list[str]]
    ) -> tuple[list[dict[str, Any]], int, str]:
        """Raw JSON-stat cells for ``selection`` ({variable: codes}, in the table's order),
        split so that no request exceeds the cell limit (``config.max_cells``, or less as
        learned from refusals): (cells, requests, sha256)."""
        digest = hashlib.sha256()
        rows: list[dict[str, Any]] = []
        requests = sum(
            self._fetch_part(series, part, rows, digest)
            for part in fit(selection, self.limits.max_cells)
        )
        return rows, requests, digest.hexdigest()

    def _fetch_part(
        self, series: ScbSeries, part: dict[str, list[str]], rows: list, digest: Any
    ) -> int:
        """Fetch one part into ``rows``; a part refused as too large is halved along its widest
        variable and each half fetched (a single cell refused is a RequestTooLargeError). The
        answer's dimensions must be the part's. Returns the data requests answered."""
        if cells(part) > self.limits.max_cells:  # the limit was lowered since it was planned
            return sum(self._fetch_part(series, p, rows, digest) for p in halves(part))
        try:
            doc, body, url = self._query(series, part)
        except HttpStatusError as exc:
            if not refused_as_too_large(exc):
                raise
            if cells(part) <= 1:
                raise RequestTooLargeError(exc, "one value of every variable") from exc
            parts = halves(part)
            self.limits.refused(cells(part), max(cells(p) for p in parts), exc)
            return sum(self._fetch_part(series, p, rows, digest) for p in parts)
        digest.update(body)
        with keeping_body(body):
            check_dimensions(dimensions(doc, url), part, url)
            rows.extend(jsonstat2_to_rows(doc, url))
        return 1

    def _query(self, series: ScbSeries, part: dict[str, list[str]]) -> tuple[Any, bytes, str]:
        if series.api == "v1":
            url = self.table_url(series)
            payload: dict[str, Any] = {
                "query": [
                    {"code": var, "selection": {"filter": "item", "values": codes}}
                    for var, codes in part.items()
                ],
                "response": {"format": "json-stat2"},
            }
            doc, body = self.http.post_json(url, payload)
            return doc, body, url
        url = f"{self.table_url(series)}/data"
        payload = {
            "selection": [{"variableCode": var, "valueCodes": codes} for var, codes in part.items()]
        }
        params = {"lang": self.config.lang, "outputFormat": "json-stat2"}
        doc, body = self.http.post_json(url, payload, params)
        return doc, body, self.http.stats.urls[-1]

    def selection(
        self, series: ScbSeries, meta: TableMeta, regions: Sequence[str], years: Iterable[int]
    ) -> dict[str, list[str]]:
        """What to ask for: the requested regions and years that the table has, every sex (or the
        fixed one), the series' fixed codes, and the sole value of any other one-valued variable.
        Eliminable variables the series leaves open are left out (the API eliminates them)."""
        check_series_against_table(series, meta)
        wanted_regions = {to_scb_region(r) for r in regions}
        wanted_years = {str(y) for y in years}
        out: dict[str, list[str]] = {}
        for variable in meta.variables:
            fixed = series.fixed_code(variable.code)
            if variable.code == REGION:
                out[REGION] = [c for c in variable.values if c in wanted_regions]
            elif variable.code == TIME:
                out[TIME] = [c for c in variable.values if YEAR.match(c) and c in wanted_years]
            elif fixed is not None:
                out[variable.code] = [fixed]
            elif variable.code == SEX:
                out[SEX] = sex_codes(variable, meta)
            elif len(variable.values) == 1:
                out[variable.code] = [variable.values[0]]
            elif variable.elimination:
                continue
            else:
                raise ValueError(
                    f"series {series.raw!r} leaves variable {variable.code!r} of table "
                    f"{series.table} open; fix one of its codes in the series id "
                    f"(e.g. {variable.code}={variable.values[0]})"
                )
        return out

    def fetch_values(
        self, series: ScbSeries, regions: Sequence[str], years: Iterable[int]
    ) -> FetchResult:
        """Annual values of ``series`` for ``regions`` (Kolada style) × ``years`` as long rows.

        Reads the metadata first and asks only for regions and years the table has. Only time
        codes that are plain years (``^\\d{4}$``) are fetched: months (``2026M01``), quarters or
        other periods are kept out of these annual rows, so a monthly table gives no rows.
        Requests are split (chunks of regions, then of years) to ``config.max_cells`` cells.
        Row: ``series_id, table_id, region_code, year, sex (T/K/M), value, status``.
        """
        meta = self.table_metadata(series)
        selection = self.selection(series, meta, regions, years)
        if not selection[REGION] or not selection[TIME]:
            log.warning(
                "%s: none of the requested regions/years (annual time codes only) is in the "
                "table; nothing fetched",
                series.raw,
            )
            return FetchResult()
        raw, requests, sha = self.fetch_cells(series, selection)
        rows = [self._long_row(series, meta, cell) for cell in raw]
        return FetchResult(rows, requests, sha)

    def _long_row(self, series: ScbSeries, meta: TableMeta, cell: dict[str, Any]) -> dict[str, Any]:
        url = meta.url
        try:
            region = to_kolada_region(str(cell[REGION]))
            year = str(cell[TIME])
        except KeyError as exc:
            raise ResponseFormatError(url, f"a data cell has no {exc.args[0]!r} dimension") from exc
        except ValueError as exc:
            raise ResponseFormatError(url, str(exc)) from exc
        if not YEAR.match(year):
            raise ResponseFormatError(url, f"time code {year!r} is not a year")
        kon = cell.get(SEX, series.fixed_code(SEX))
        if kon is None:
            sex = "T"  # the table is not split by sex
        elif kon in KON_TO_SEX:
            sex = KON_TO_SEX[kon]
        else:
            raise ResponseFormatError(url, f"Kon code {kon!r} is not one of {sorted(KON_TO_SEX)}")
        return {
            "series_id": series.raw,
            "table_id": series.table,
            "region_code": region,
            "year": int(year),
            "sex": sex,
            "value": cell["value"],
            "status": cell["status"] or "",
            "is_deleted": False,
        }


def _v1_metadata(table: str, doc: Any, url: str) -> TableMeta:
    if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
        raise ResponseFormatError(
            url, "expected PxWeb v1 table metadata {'title', 'variables': []}"
        )
    variables = []
    for i, var in enumerate(doc["variables"]):
        where = f"variables[{i}]"
        if not isinstance(var, dict):
            raise ResponseFormatError(url, f"{where} is not an object")
        for key in ("code", "text", "values", "valueTexts"):
            if key not in var:
                raise ResponseFormatError(
                    url, f"{where} has no field {key!r} (fields: {sorted(var)})"
                )
        values, texts = var["values"], var["valueTexts"]
        if not isinstance(values, list) or not isinstance(texts, list) or len(values) != len(texts):
            raise ResponseFormatError(
                url,
                f"{where} ({var['code']}): 'values' and 'valueTexts' are not lists of one length",
            )
        variables.append(
            Variable(
                str(var["code"]),
                str(var["text"]),
                tuple(str(v) for v in values),
                tuple(str(t) for t in texts),
                bool(var.get("elimination", False)),
                bool(var.get("time", False)),
            )
        )
    return TableMeta(table, "v1", str(doc.get("title", "")), tuple(variables), url)


def _v2_metadata(table: str, doc: Any, url: str) -> TableMeta:
    dims = dimensions(doc, url)
    role = doc.get("role") or {}
    time_dims = set(role.get("time") or [])
    variables = tuple(
        Variable(
            d.id,
            d.label,
            d.codes,
            tuple(d.labels.get(c, c) for c in d.codes),
            bool(d.extension.get("elimination", False)),
            d.id in time_dims,
        )
        for d in dims
    )
    units = {code: unit for d in dims for code, unit in d.units.items()}
    return TableMeta(table, "v2", str(doc.get("label", "")), variables, url, units)


def check_series_against_table(series: ScbSeries, meta: TableMeta) -> None:
    """The table has a region and a time variable, and every code the series fixes is a code of
    one of its variables (a fixed sex one of the known sex codes)."""
    for var in (REGION, TIME):
        if meta.variable(var) is None:
            raise ResponseFormatError(
                meta.url,
                f"table {series.table} has no {var!r} variable "
                f"(variables: {[v.code for v in meta.variables]})",
            )
    for var, code in series.fixed:
        variable = meta.variable(var)
        if variable is None:
            raise ResponseFormatError(
                meta.url,
                f"series {series.raw!r} fixes {var!r}, which table {series.table} does not "
                f"have (variables: {[v.code for v in meta.variables]})",
            )
        if code not in variable.values:
            raise ResponseFormatError(
                meta.url,
                f"series {series.raw!r} fixes {var}={code!r}, which is not one of the "
                f"table's {var} codes {list(variable.values)[:20]}",
            )
        if var == SEX and code not in KON_TO_SEX:
            raise ValueError(
                f"series {series.raw!r}: Kon={code!r} is not a known sex code "
                f"({sorted(KON_TO_SEX)})"
            )


def sex_codes(variable: Variable, meta: TableMeta) -> list[str]:
    """The table's codes of the sexes the project knows (the first code of each, in the
    table's order); a table with none of them is an error."""
    picked: dict[str, str] = {}
    for code in variable.values:
        if code in KON_TO_SEX:
            picked.setdefault(KON_TO_SEX[code], code)
    if not picked:
        raise ResponseFormatError(
            meta.url, f"Kon has none of the known sex codes: {list(variable.values)}"
        )
    return [c for c in variable.values if c in picked.values()]
