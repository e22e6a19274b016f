"""Kolada JSON → long rows. Strict: a missing or renamed field is an error naming the URL.

The envelope as live v3 answered (FORMATS.md): ``status`` is ``""`` when there is none (stored
null), values are JSON floats, ``isdeleted`` is on each value, the genders come in any order
(picked by field), ``next_url``/``previous_url`` are null on the last page, and an empty
selection is a 200 with ``values: []``.
"""

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


def retired_answer(doc: Any) -> str | None:
    """The error of a deprecation answer (live v2: ``{"error": "This endpoint is deprecated.
    Please use /v3 instead."}``), else None."""
    said = doc.get("error") if isinstance(doc, dict) and "values" not in doc else None
    if isinstance(said, str) and "deprecated" in said.lower():
        return said
    return None


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


_MISSING = object()


def parse_data_page(doc: Any, url: str) -> list[dict[str, Any]]:
    """Flatten one data page: one row per KPI × municipality × period × gender.

    Every field is checked; the message naming the item (``values[i].values[j]``) is only built
    when a check fails (this loop runs once per value: a million times at country scale)."""
    rows: list[dict[str, Any]] = []
    append = rows.append
    for i, item in enumerate(envelope_values(doc, url)):
        if not isinstance(item, dict):
            raise ResponseFormatError(url, f"values[{i}] is not an object")
        kpi = item.get("kpi", _MISSING)
        municipality = item.get("municipality", _MISSING)
        entries = item.get("values", _MISSING)
        if kpi is _MISSING or municipality is _MISSING or entries is _MISSING:
            for key in ("kpi", "municipality", "values"):
                _require(item, key, url, f"values[{i}]")
        year = _year(item, url, i)
        if not isinstance(entries, list):
            raise ResponseFormatError(url, f"values[{i}].values is not a list")
        item_deleted = item.get("isdeleted", item.get("is_deleted", 0))
        kpi, municipality = str(kpi), str(municipality)
        for j, entry in enumerate(entries):
            gender = entry.get("gender", _MISSING) if isinstance(entry, dict) else _MISSING
            value = entry.get("value", _MISSING) if isinstance(entry, dict) else _MISSING
            if gender not in GENDERS or not (
                value is None or (value is not _MISSING and isinstance(value, int | float))
            ):
                _entry_error(entry, url, f"values[{i}].values[{j}]")
            append(
                {
                    "kpi_id": kpi,
                    "municipality_id": municipality,
                    "year": year,
                    "gender": gender,
                    "value": None if value is None else float(value),
                    "count": entry.get("count"),
                    "status": entry.get("status") or None,  # v3 sends "" for none
                    "is_deleted": bool(
                        entry.get("isdeleted", entry.get("is_deleted", item_deleted))
                    ),
                }
            )
    return rows


def _year(item: dict[str, Any], url: str, i: int) -> int:
    period = item.get("period", item.get("year"))
    if period is None:
        raise ResponseFormatError(url, f"values[{i}] has neither 'period' nor 'year'")
    if type(period) is int:
        return period
    try:
        return int(str(period)[:4])
    except ValueError as exc:
        raise ResponseFormatError(url, f"values[{i}].period {period!r} is not a year") from exc


def _entry_error(entry: Any, url: str, at: str) -> None:
    """Raise the error that says what is wrong with one value entry."""
    if not isinstance(entry, dict):
        raise ResponseFormatError(url, f"{at} is not an object")
    gender = _require(entry, "gender", url, at)
    if gender not in GENDERS:
        raise ResponseFormatError(url, f"{at}.gender is {gender!r}; expected one of T, K, M")
    value = _require(entry, "value", url, at)
    raise ResponseFormatError(url, f"{at}.value is {value!r}; expected a number or null")


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
