"""The shapes ``python -m ingest live-check`` expects, compared with one answer (pure functions).

Each function takes one parsed JSON answer and returns how it differs from what the loaders read
(and, for Kolada, from the fields the recorded live answers have: ../shared/realdata/FORMATS.md,
"Kolada v3 as the live API answered"), one string per difference:
``<field path>: expected <what>, found <what>``. An empty list: the answer has the expected shape.

Types are as lenient as the loaders are (e.g. ``status`` may be ``""`` as recorded or null; the
deleted flag a boolean as recorded or 0/1), so a difference is something the loaders would refuse
or misread, or a recorded field that is gone.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.pxweb.client import KON_TO_SEX, REGION, SEX, TIME, YEAR, to_kolada_region

MAX_ITEMS = 5  # data objects / tables / variables looked at per answer (each fully)


@dataclass(frozen=True)
class Kind:
    """What a field must hold: a description for messages and the test."""

    what: str
    accepts: Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


STRING = Kind("a string", lambda v: isinstance(v, str))
STRING_OR_NULL = Kind("a string or null", lambda v: v is None or isinstance(v, str))
SCALAR_OR_NULL = Kind(
    "a string, number or null", lambda v: v is None or isinstance(v, str) or _is_number(v)
)
INTEGER = Kind("an integer", _is_int)
INTEGER_OR_NULL = Kind("an integer or null", lambda v: v is None or _is_int(v))
NUMBER_OR_NULL = Kind("a number or null", lambda v: v is None or _is_number(v))
FLAG = Kind("a boolean (or 0/1)", lambda v: isinstance(v, bool) or (_is_int(v) and v in (0, 1)))
LIST = Kind("a list", lambda v: isinstance(v, list))
OBJECT = Kind("an object", lambda v: isinstance(v, dict))
GENDER = Kind("one of 'T', 'K', 'M'", lambda v: v in ("T", "K", "M"))
MUNICIPALITY_TYPE = Kind("one of 'K', 'L'", lambda v: v in ("K", "L"))

KOLADA_ENVELOPE = {
    "values": LIST,
    "count": INTEGER,
    "next_url": STRING_OR_NULL,
    "previous_url": STRING_OR_NULL,
}
KOLADA_DATA_ITEM = {"kpi": STRING, "municipality": STRING, "period": INTEGER, "values": LIST}
KOLADA_VALUE = {
    "gender": GENDER,
    "count": INTEGER_OR_NULL,
    "status": STRING_OR_NULL,
    "value": NUMBER_OR_NULL,
    "isdeleted": FLAG,
}
# parse_kpis requires id and title; the load's publication calendar reads the other three.
KOLADA_KPI = {
    "id": STRING,
    "title": STRING,
    "publ_period": SCALAR_OR_NULL,
    "publication_date": STRING_OR_NULL,
    "prel_publication_date": STRING_OR_NULL,
}
KOLADA_MUNICIPALITY = {"id": STRING, "title": STRING, "type": MUNICIPALITY_TYPE}

SCB_TABLE_LIST = {"tables": LIST, "page": OBJECT}
SCB_PAGE = {"pageNumber": INTEGER, "pageSize": INTEGER, "totalElements": INTEGER}
SCB_TABLE = {
    "id": STRING,
    "label": STRING,
    "updated": STRING_OR_NULL,
    "firstPeriod": STRING_OR_NULL,
    "lastPeriod": STRING_OR_NULL,
    "variableNames": LIST,
}
SCB_V1_TABLE = {"title": STRING, "variables": LIST}
SCB_V1_VARIABLE = {"code": STRING, "text": STRING, "values": LIST, "valueTexts": LIST}
JSONSTAT = {
    "class": Kind("'dataset'", lambda v: v == "dataset"),
    "id": Kind(
        "a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)
    ),
    "size": Kind("a list of counts", lambda v: isinstance(v, list) and all(_is_int(x) for x in v)),
    "dimension": OBJECT,
}
CELLS = Kind("a list or an object of cells", lambda v: isinstance(v, list | dict))


def found(value: Any) -> str:
    """A value as a short JSON text, for a message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def compare_fields(obj: Any, fields: Mapping[str, Kind], where: str = "") -> list[str]:
    """Each field of ``fields`` missing from ``obj`` or of another kind, as a difference."""
    if not isinstance(obj, dict):
        return [f"{where or 'the answer'}: expected an object, found {found(obj)}"]
    out = []
    for name, kind in fields.items():
        path = f"{where}.{name}" if where else name
        if name not in obj:
            present = ", ".join(sorted(obj)) or "none"
            out.append(f"{path}: expected {kind.what}, found no such field (fields: {present})")
        elif not kind.accepts(obj[name]):
            out.append(f"{path}: expected {kind.what}, found {found(obj[name])}")
    return out


def first_per_field(differences: Iterable[str]) -> list[str]:
    """One difference per field path, list indices ignored (``values[3].kpi`` as ``values[0].kpi``
    already said it), in order."""
    seen: set[str] = set()
    out = []
    for d in differences:
        key = re.sub(r"\[\d+\]", "[]", d.split(":", 1)[0])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# -- Kolada --------------------------------------------------------------------------------------
def kolada_envelope(doc: Any) -> list[str]:
    """The v3 envelope as recorded: ``values``, ``count``, ``next_url`` and ``previous_url``."""
    out = compare_fields(doc, KOLADA_ENVELOPE)
    if isinstance(doc, dict) and "error" in doc:
        out.append(f"error: expected no such field, found {found(doc['error'])}")
        if "deprecated" in str(doc["error"]).lower():
            out.append("Kolada v2 is retired; KOLADA_BASE_URL must point at …/v3")
    return out


def _items(doc: Any) -> list[Any]:
    values = doc.get("values") if isinstance(doc, dict) else None
    return values if isinstance(values, list) else []


def kolada_kpis(doc: Any, ids: Sequence[str]) -> list[str]:
    """``/kpi/<ids>``: the envelope, every KPI asked for, each with the fields the load reads."""
    out = kolada_envelope(doc)
    items = _items(doc)
    for i, item in enumerate(items[:MAX_ITEMS]):
        out += compare_fields(item, KOLADA_KPI, f"values[{i}]")
    got = {item.get("id") for item in items if isinstance(item, dict)}
    out += [
        f"values: expected KPI {k!r}, found no object with that id" for k in ids if k not in got
    ]
    return first_per_field(out)


def kolada_municipalities(doc: Any, types: Mapping[str, str]) -> list[str]:
    """``/municipality/<ids>``: the envelope, each id asked for with its type (``{id: type}``)."""
    out = kolada_envelope(doc)
    items = _items(doc)
    for i, item in enumerate(items[:MAX_ITEMS]):
        out += compare_fields(item, KOLADA_MUNICIPALITY, f"values[{i}]")
    by_id = {item.get("id"): item for item in items if isinstance(item, dict)}
    for code, kind in types.items():
        if code not in by_id:
            out.append(f"values: expected municipality {code!r}, found no object with that id")
        elif "type" in by_id[code] and by_id[code]["type"] != kind:
            out.append(
                f"values[id={code}].type: expected {kind!r}, found {found(by_id[code]['type'])}"
            )
    return first_per_field(out)


def _asked(item: dict[str, Any], name: str, asked: Sequence[Any], where: str) -> list[str]:
    if name in item and item[name] not in asked:
        wanted = ", ".join(map(str, asked))
        return [
            f"{where}.{name}: expected one of those asked for ({wanted}), found {found(item[name])}"
        ]
    return []


def kolada_data(
    doc: Any, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int]
) -> list[str]:
    """A data page asked for with ``from_date``: the envelope, and each data object and value
    with the recorded fields (``isdeleted`` per value), holding only what was asked for."""
    out = kolada_envelope(doc)
    if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
        return out
    items = doc["values"]
    if not items:
        out.append(
            f"values: expected at least one data object for KPI {', '.join(kpis)}, municipality "
            f"{', '.join(municipalities)}, years {', '.join(map(str, years))}; found an empty "
            "list (nothing to compare)"
        )
    for i, item in enumerate(items[:MAX_ITEMS]):
        where = f"values[{i}]"
        out += compare_fields(item, KOLADA_DATA_ITEM, where)
        if not isinstance(item, dict):
            continue
        out += _asked(item, "kpi", kpis, where) + _asked(
            item, "municipality", municipalities, where
        )
        out += _asked(item, "period", years, where)
        entries = item.get("values")
        if isinstance(entries, list):
            if not entries:
                out.append(f"{where}.values: expected at least one value, found an empty list")
            for j, entry in enumerate(entries):
                out += compare_fields(entry, KOLADA_VALUE, f"{where}.values[{j}]")
    return first_per_field(out)


# -- SCB -----------------------------------------------------------------------------------------
def scb_table_list(doc: Any) -> list[str]:
    """PxWebApi 2.0 ``GET /tables?query=…``: ``tables`` and ``page`` as SCB's recorded listing."""
    out = compare_fields(doc, SCB_TABLE_LIST)
    if not isinstance(doc, dict):
        return out
    if isinstance(doc.get("page"), dict):
        out += compare_fields(doc["page"], SCB_PAGE, "page")
    tables = doc.get("tables")
    if isinstance(tables, list):
        if not tables:
            out.append("tables: expected at least one table for the query, found an empty list")
        for i, table in enumerate(tables[:MAX_ITEMS]):
            out += compare_fields(table, SCB_TABLE, f"tables[{i}]")
    return first_per_field(out)


def scb_v1_metadata(doc: Any, needed: Sequence[str] = (REGION, TIME)) -> list[str]:
    """PxWeb v1 ``GET <table>``: ``title`` and ``variables`` as the v1 client reads them, with the
    variables the loader selects on."""
    out = compare_fields(doc, SCB_V1_TABLE)
    variables = doc.get("variables") if isinstance(doc, dict) else None
    if not isinstance(variables, list):
        return out
    for i, var in enumerate(variables):
        where = f"variables[{i}]"
        out += compare_fields(var, SCB_V1_VARIABLE, where)
        if isinstance(var, dict) and isinstance(var.get("values"), list):
            texts = var.get("valueTexts")
            if isinstance(texts, list) and len(texts) != len(var["values"]):
                out.append(
                    f"{where}.valueTexts: expected {len(var['values'])} texts (one per value), "
                    f"found {len(texts)}"
                )
    codes = [v.get("code") for v in variables if isinstance(v, dict)]
    out += [
        f"variables: expected a variable with code {c!r}, found codes {found(codes)}"
        for c in needed
        if c not in codes
    ]
    return first_per_field(out)


def _category_codes(dim: Any, where: str) -> tuple[list[str] | None, list[str]]:
    """A dimension's category codes in index order, or None and the differences."""
    out = compare_fields(dim, {"category": OBJECT}, where)
    if out:
        return None, out
    index = dim["category"].get("index")
    if isinstance(index, list):
        return [str(c) for c in index], []
    if isinstance(index, dict):
        return [str(c) for c in index], []  # compared as sets: the order does not matter
    return None, [f"{where}.category.index: expected an object or a list, found {found(index)}"]


def jsonstat_dataset(
    doc: Any,
    requested: Mapping[str, Sequence[str]] | None = None,
    needed: Sequence[str] = (REGION, TIME),
) -> list[str]:
    """A JSON-stat 2.0 dataset as ``ingest.pxweb.jsonstat`` reads it.

    Metadata (``requested`` None): the dimensions ``needed`` are there. Data: the dimensions are
    exactly those asked for, each with the codes asked for, and ``value`` has one number or null
    per cell."""
    out = compare_fields(doc, JSONSTAT)
    if requested is not None:
        out += compare_fields(doc, {"value": CELLS})
    if out:
        return out
    ids, sizes, dims = doc["id"], doc["size"], doc["dimension"]
    if len(ids) != len(sizes):
        return [f"size: expected {len(ids)} counts (one per id), found {len(sizes)}"]
    codes: dict[str, list[str]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        where = f"dimension[{dim_id!r}]"
        if dim_id not in dims:
            out.append(f"{where}: expected an object, found no such field")
            continue
        got, problems = _category_codes(dims[dim_id], where)
        out += problems
        if got is not None and len(got) != size:
            out.append(
                f"{where}.category.index: expected {size} categories (size), found {len(got)}"
            )
        if got is not None:
            codes[dim_id] = got
    if requested is None:
        out += [f"id: expected dimension {c!r}, found {found(ids)}" for c in needed if c not in ids]
        return out
    out += _against_request(ids, codes, requested)
    out += _cell_values(doc["value"], math.prod(sizes))
    return out


def _against_request(
    ids: list[str], codes: Mapping[str, list[str]], requested: Mapping[str, Sequence[str]]
) -> list[str]:
    out = [
        f"id: expected dimension {v!r} (asked for), found {found(ids)}"
        for v in requested
        if v not in ids
    ]
    out += [
        f"id: expected only the dimensions asked for, found {v!r}"
        for v in ids
        if v not in requested
    ]
    for var, asked in requested.items():
        if var in codes and sorted(codes[var]) != sorted(asked):
            out.append(
                f"dimension[{var!r}].category.index: expected the codes asked for "
                f"{found(list(asked))}, found {found(codes[var])}"
            )
    return out


def _cell_values(values: Any, total: int) -> list[str]:
    if isinstance(values, list) and len(values) != total:
        return [f"value: expected {total} cells (the product of size), found {len(values)}"]
    entries = values if isinstance(values, list) else list(values.values())
    for i, v in enumerate(entries):
        if not NUMBER_OR_NULL.accepts(v):
            return [f"value[{i}]: expected a number or null, found {found(v)}"]
    return []


def scb_annual_cells(cells: Sequence[Mapping[str, Any]], fixed_kon: str | None) -> list[str]:
    """Cells of an annual table as the loader turns them into long rows: a region code it maps
    to Kolada's form, a year, and a known sex code (``fixed_kon`` when the table has no Kon)."""
    out = []
    for i, cell in enumerate(cells[:MAX_ITEMS]):
        where = f"cell[{i}]"
        region, year = cell.get(REGION), cell.get(TIME)
        try:
            to_kolada_region(str(region))
        except ValueError:
            expected = "an SCB region code (2 or 4 digits)"
            out.append(f"{where}.{REGION}: expected {expected}, found {found(region)}")
        if not YEAR.match(str(year)):
            out.append(f"{where}.{TIME}: expected a year (YYYY), found {found(year)}")
        kon = cell.get(SEX, fixed_kon)
        if kon is not None and kon not in KON_TO_SEX:
            out.append(f"{where}.{SEX}: expected one of {sorted(KON_TO_SEX)}, found {found(kon)}")
    return first_per_field(out)
