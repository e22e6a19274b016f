"""Kolada's ``/v2`` and ``/v3`` answers in the replay server: routing, value faults, limits and
paging (``/v3``: ``next_url``/``previous_url``, null on the last page, ``count`` = total;
``/v2``: ``next_page``/``previous_page`` when there is one, ``count`` = this page)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any
from urllib.parse import urlencode

from ingest.replay.faults import FaultPlan
from ingest.replay.kolada_data import KoladaSnapshot
from ingest.replay.kolada_query import MAX_PER_PAGE, ApiError, data_selection, ids_of
from ingest.replay.limits import ReplayLimits


def answer(
    data: KoladaSnapshot,
    faults: FaultPlan,
    limits: ReplayLimits,
    base: str,
    path: str,
    query: dict[str, list[str]],
) -> dict[str, Any]:
    """The document for ``GET {path}?{query}``; ``base`` is ``http://host:port`` as the client
    named it (for absolute page links). Raises ApiError for an error answer."""
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2 or parts[0] not in ("v2", "v3"):
        raise ApiError(404, f"no such endpoint {path}")
    version, entity, rest = parts[0], parts[1], parts[2:]
    if entity == "kpi" and len(rest) <= 1:
        ids = ids_of(rest[0], "kpi") if rest else None
        _check_limit(limits, {"kpi": ids})
        items = data.kpi_objects(ids, _q(query, "title"))
    elif entity == "municipality" and len(rest) <= 1:
        ids = ids_of(rest[0], "municipality") if rest else None
        _check_limit(limits, {"municipality": ids})
        items = data.municipality_objects(ids)
    elif entity == "data":
        from_date = _q(query, "from_date")
        if from_date is not None:
            try:
                from_date = date.fromisoformat(from_date).isoformat()
            except ValueError as exc:
                raise ApiError(400, f"from_date {from_date!r} is not YYYY-MM-DD") from exc
        kpis, munis, years = data_selection(rest, query)
        _check_limit(limits, {"kpi": kpis, "municipality": munis, "year": years})
        items = data.data_objects(kpis, munis, years, from_date=from_date, version=version)
        items = apply_value_faults(faults, path, items)
    else:
        raise ApiError(404, f"no such endpoint {path}")
    return page(faults, limits, version, base, path, query, items)


def _check_limit(limits: ReplayLimits, selection: dict[str, list | None]) -> None:
    refusal = limits.kolada_refusal(selection)
    if refusal is not None:
        raise ApiError(422, "too many ids in one request", doc=refusal)


def apply_value_faults(
    faults: FaultPlan, path: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    for fault in faults.take(path, {"corrupt_value"}):
        s = fault.spec
        for item in items:
            if (item["kpi"], item["municipality"], item["period"]) == (
                s["kpi"],
                s["municipality"],
                int(s["year"]),
            ):
                for v in item["values"]:
                    if v["gender"] == s.get("gender", "T"):
                        v["value"] = s["value"]
    for fault in faults.take(path, {"duplicate_item"}):
        s = fault.spec
        out = []
        for item in items:
            out.append(item)
            if item["kpi"] == s["kpi"] and s.get("municipality") in (None, item["municipality"]):
                out.append(copy.deepcopy(item))
        items = out
    for fault in faults.take(path, {"recode_field"}):
        s = fault.spec
        for item in items:
            if item.get(s["field"]) == s["from"]:
                item[s["field"]] = s["to"]
    for fault in faults.take(path, {"rename_field"}):
        for item in items:
            if fault.spec["from"] in item:
                item[fault.spec["to"]] = item.pop(fault.spec["from"])
    return items


def page(
    faults: FaultPlan,
    limits: ReplayLimits,
    version: str,
    base: str,
    path: str,
    query: dict[str, list[str]],
    items: list[dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``items`` in the version's envelope, with absolute links to its neighbours
    (``per_page`` as asked; at most ``limits.kolada_page_cap`` items on a page)."""
    try:
        number = int(_q(query, "page") or 1)
        per_page = int(_q(query, "per_page") or MAX_PER_PAGE)
    except ValueError as exc:
        raise ApiError(400, "page and per_page must be integers") from exc
    if number < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(400, f"page must be >= 1 and per_page within 1..{MAX_PER_PAGE}")
    size = limits.page_size(per_page)
    start = (number - 1) * size
    chunk = items[start : start + size]
    total = len(items)

    def link(p: int) -> str:
        params = {k: v for k, v in query.items() if k not in ("page", "per_page")}
        params.update(page=[str(p)], per_page=[str(per_page)])
        return f"{base}{path}?{urlencode(params, doseq=True)}"

    nxt = link(number + 1) if start + size < total else None
    if faults.take(path, {"loop_page"}, limit=1):
        nxt = link(number)  # a server bug: the next page is this one
    for fault in faults.take(path, {"cap_page"}, limit=1):
        # A server that cuts a page short without saying so (no next_url, count of the page).
        chunk, nxt = chunk[: int(fault.spec["items"])], None
        total = len(chunk)
    prev = link(number - 1) if number > 1 else None
    if version == "v2":
        doc: dict[str, Any] = {"values": chunk, "count": len(chunk)}
        if nxt:
            doc["next_page"] = nxt
        if prev:
            doc["previous_page"] = prev
        return doc
    return {"values": chunk, "count": total, "next_url": nxt, "previous_url": prev}


def _q(query: dict[str, list[str]], key: str) -> str | None:
    vals = query.get(key)
    return vals[0] if vals else None
