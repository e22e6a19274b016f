"""JSON-stat 2.0 datasets → one row per cell. Strict: a malformed document names the URL.

The shape (SCB's v1 and v2 answers share it): ``{"class": "dataset", "id": [...], "size": [...],
"dimension": {<id>: {"label", "category": {"index", "label", "unit"?}}}, "value", "status"?,
"role"?, ...}``. Values are row-major: the last dimension varies fastest.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from ingest.errors import ResponseFormatError


@dataclass(frozen=True)
class Dimension:
    """One dimension: its category codes in index order, their labels and units."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    extension: dict[str, Any] = field(default_factory=dict)


def _category_codes(dim_id: str, category: Any, size: int, url: str) -> tuple[str, ...]:
    where = f"dimension[{dim_id!r}].category"
    if not isinstance(category, dict):
        raise ResponseFormatError(url, f"{where} is not an object")
    index = category.get("index")
    labels = category.get("label")
    if index is None:
        # JSON-stat allows a single category to be given by its label only.
        if isinstance(labels, dict) and len(labels) == 1:
            return (str(next(iter(labels))),)
        raise ResponseFormatError(url, f"{where} has no 'index'")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        positions = sorted(index.items(), key=lambda kv: kv[1] if isinstance(kv[1], int) else -1)
        if [p for _, p in positions] != list(range(len(index))):
            raise ResponseFormatError(
                url, f"{where}.index positions are not 0..{len(index) - 1}: {index!r}"
            )
        codes = [str(c) for c, _ in positions]
    else:
        raise ResponseFormatError(url, f"{where}.index is neither an object nor a list")
    if len(codes) != size:
        raise ResponseFormatError(url, f"{where} has {len(codes)} categories but size says {size}")
    if len(set(codes)) != len(codes):
        raise ResponseFormatError(url, f"{where}.index repeats a category code")
    return tuple(codes)


def dimensions(doc: Any, url: str) -> list[Dimension]:
    """The dataset's dimensions in ``id`` order, checked against ``size`` (values not read)."""
    if not isinstance(doc, dict):
        raise ResponseFormatError(url, "expected a JSON-stat 2.0 object")
    if doc.get("class") != "dataset":
        raise ResponseFormatError(
            url, f"expected JSON-stat class 'dataset', got {doc.get('class')!r}"
        )
    for key in ("id", "size", "dimension"):
        if key not in doc:
            raise ResponseFormatError(url, f"JSON-stat dataset has no {key!r}")
    ids, sizes, dims = doc["id"], doc["size"], doc["dimension"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ResponseFormatError(url, f"'id' is not a list of strings: {ids!r}")
    if not isinstance(sizes, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes
    ):
        raise ResponseFormatError(url, f"'size' is not a list of counts: {sizes!r}")
    if len(ids) != len(sizes):
        raise ResponseFormatError(
            url, f"'id' has {len(ids)} dimensions but 'size' has {len(sizes)}"
        )
    if len(set(ids)) != len(ids):
        raise ResponseFormatError(url, f"'id' repeats a dimension: {ids!r}")
    if not isinstance(dims, dict):
        raise ResponseFormatError(url, "'dimension' is not an object")
    out = []
    for dim_id, size in zip(ids, sizes, strict=True):
        dim = dims.get(dim_id)
        if not isinstance(dim, dict):
            raise ResponseFormatError(url, f"'dimension' has no object for {dim_id!r}")
        category = dim.get("category")
        codes = _category_codes(dim_id, category, size, url)
        labels = category.get("label") or {}
        units = category.get("unit") or {}
        out.append(
            Dimension(
                dim_id,
                str(dim.get("label", dim_id)),
                codes,
                {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
                dict(units) if isinstance(units, dict) else {},
                dict(dim.get("extension") or {}),
            )
        )
    return out


def _cells(name: str, raw: Any, total: int, url: str) -> dict[int, Any] | list[Any] | Any:
    """A list of exactly ``total`` entries, or a sparse {index: entry} dict with valid indices."""
    if isinstance(raw, list):
        if len(raw) != total:
            raise ResponseFormatError(
                url, f"'{name}' has {len(raw)} entries but the sizes multiply to {total}"
            )
        return raw
    if isinstance(raw, dict):
        sparse: dict[int, Any] = {}
        for key, entry in raw.items():
            try:
                i = int(key)
            except (TypeError, ValueError) as exc:
                raise ResponseFormatError(url, f"'{name}' key {key!r} is not an index") from exc
            if not 0 <= i < total:
                raise ResponseFormatError(url, f"'{name}' index {i} is outside 0..{total - 1}")
            sparse[i] = entry
        return sparse
    raise ResponseFormatError(url, f"'{name}' is neither a list nor an object")


def _number(raw: Any, i: int, url: str) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ResponseFormatError(url, f"value[{i}] is {raw!r}; expected a number or null")
    value = float(raw)
    if math.isnan(value) or math.isinf(value):
        raise ResponseFormatError(url, f"value[{i}] is {raw!r}; expected a finite number")
    return value


def jsonstat2_to_rows(doc: Any, url: str) -> list[dict[str, Any]]:
    """One dict per cell: ``{<dimension id>: <category code>, ..., "value", "status"}``.

    Row-major, last dimension fastest. ``value`` may be a list or a sparse ``{index: value}``
    object (absent cells are null); ``status`` may be absent, one string for every cell, a list or
    a sparse object. Anything else is a :class:`ResponseFormatError` naming ``url``.
    """
    dims = dimensions(doc, url)
    total = math.prod(len(d.codes) for d in dims)
    if "value" not in doc:
        raise ResponseFormatError(url, "JSON-stat dataset has no 'value'")
    values = _cells("value", doc["value"], total, url)
    raw_status = doc.get("status")
    if raw_status is None or isinstance(raw_status, str):
        status: Any = raw_status
    else:
        status = _cells("status", raw_status, total, url)
    rows: list[dict[str, Any]] = []
    for i, codes in enumerate(itertools.product(*(d.codes for d in dims))):
        value = values[i] if isinstance(values, list) else values.get(i)
        if status is None or isinstance(status, str):
            cell_status = status
        else:
            cell_status = status[i] if isinstance(status, list) else status.get(i)
        if cell_status is not None and not isinstance(cell_status, str):
            raise ResponseFormatError(url, f"status[{i}] is {cell_status!r}; expected a string")
        row: dict[str, Any] = dict(zip((d.id for d in dims), codes, strict=True))
        row["value"] = _number(value, i, url)
        row["status"] = cell_status
        rows.append(row)
    return rows
