"""Kolada JSON → long rows. Strict: a missing or renamed field is an error naming the URL."""

from __future__ import annotations

from typing import Any

from ingest.errors import ResponseFormatError

GENDERS = frozenset({"T", "K", "M"})
VALUE_COLUMNS = (
    "kpi_id",
    "municipality_id",
    "year",
    "gender",
    "value",
    "count",
    "status",
    "is_deleted",
)


def envelope_values(doc: Any, url: str) -> list[Any]:
    """The ``values`` list of a Kolada envelope (v2 and v3 share it)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        raise ResponseFormatError(
            url, "expected a JSON object with a 'values' list (Kolada envelope)"
        )
    return doc["values"]


def next_page_url(doc: dict[str, Any]) -> str | None:
    """v3 clients follow ``next_url``; v2 documents ``next_page``. Absent or empty ends paging."""
    nxt = doc.get("next_url") or doc.get("next_page")
    return str(nxt) if nxt else None


def _require(item: dict[str, Any], key: str, url: str, where: str) -> Any:
    if key not in item:
        raise ResponseFormatError(url, f"{where} has no field {key!r} (fields: {sorted(item)})")
    return item[key]


def parse_data_page(doc: Any, url: str) -> list[dict[str, Any]]:
    """Flatten one data page: one row per KPI × municipality × period × gender."""
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(envelope_values(doc, url)):
        where = f"values[{i}]"
        if not isinstance(item, dict):
            raise ResponseFormatError(url, f"{where} is not an object")
        kpi = _require(item, "kpi", url, where)
        municipality = _require(item, "municipality", url, where)
        period = item.get("period", item.get("year"))
        if period is None:
            raise ResponseFormatError(url, f"{where} has neither 'period' nor 'year'")
        try:
            year = int(str(period)[:4])
        except ValueError as exc:
            raise ResponseFormatError(url, f"{where}.period {period!r} is not a year") from exc
        entries = _require(item, "values", url, where)
        if not isinstance(entries, list):
            raise ResponseFormatError(url, f"{where}.values is not a list")
        for j, entry in enumerate(entries):
            at = f"{where}.values[{j}]"
            gender = _require(entry, "gender", url, at)
            if gender not in GENDERS:
                raise ResponseFormatError(
                    url, f"{at}.gender is {gender!r}; expected one of T, K, M"
                )
            value = _require(entry, "value", url, at)
            if value is not None and not isinstance(value, int | float):
                raise ResponseFormatError(
                    url, f"{at}.value is {value!r}; expected a number or null"
                )
            deleted = entry.get(
                "isdeleted",
                entry.get("is_deleted", item.get("isdeleted", item.get("is_deleted", 0))),
            )
            rows.append(
                {
                    "kpi_id": str(kpi),
                    "municipality_id": str(municipality),
                    "year": year,
                    "gender": gender,
                    "value": None if value is None else float(value),
                    "count": entry.get("count"),
                    "status": entry.get("status") or "",
                    "is_deleted": bool(deleted),
                }
            )
    return rows


def parse_kpis(doc: Any, url: str) -> list[dict[str, Any]]:
    """KPI metadata objects; v2's ``auspices`` and v3's ``auspice`` both accepted."""
    out = []
    for i, item in enumerate(envelope_values(doc, url)):
        _require(item, "id", url, f"values[{i}]")
        _require(item, "title", url, f"values[{i}]")
        out.append(item)
    return out


def parse_municipalities(doc: Any, url: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(envelope_values(doc, url)):
        for key in ("id", "title", "type"):
            _require(item, key, url, f"values[{i}]")
        out.append(item)
    return out
