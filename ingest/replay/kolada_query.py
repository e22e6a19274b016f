"""What a Kolada data request selects, in either form the replay server answers.

The path form ``/v3/data/kpi/<ids>/municipality/<ids>/year/<years>`` (comma-separated ids, at most
25 per segment), and the query form ``/v3/data/?kpi_id=<id>&kpi_id=<id>…&municipality_id=…&year=…``
(each parameter repeated or comma-separated, at most 25 ids each), which the PyPI client koladapy
1.0.1 sends (../shared/realdata/FORMATS.md). Either must name at least two of the three.
"""

from __future__ import annotations

MAX_PER_PAGE = 5000
MAX_SEGMENT_IDS = 25
QUERY_KEYS = {"kpi_id": "kpi", "municipality_id": "municipality", "year": "year"}


class ApiError(Exception):
    """An error answer: ``status`` with ``doc`` as its body (default ``{"error": message}``)."""

    def __init__(self, status: int, message: str, doc: dict | None = None) -> None:
        self.status = status
        self.doc = doc if doc is not None else {"error": message}
        super().__init__(message)


def ids_of(segment: str, name: str, where: str = "path segment") -> list[str]:
    ids = [x for x in segment.split(",") if x]
    if not ids:
        raise ApiError(400, f"empty {name} list")
    if len(ids) > MAX_SEGMENT_IDS:
        raise ApiError(400, f"too many {name} ids in one {where} ({len(ids)} > {MAX_SEGMENT_IDS})")
    return ids


def _selection(
    found: dict[str, list[str]],
) -> tuple[list[str] | None, list[str] | None, list[int] | None]:
    if len(found) < 2:
        raise ApiError(400, "at least two of kpi, municipality and year are required")
    try:
        years = [int(y) for y in found["year"]] if "year" in found else None
    except ValueError as exc:
        raise ApiError(400, f"bad year list {found['year']!r}") from exc
    return found.get("kpi"), found.get("municipality"), years


def parse_data_path(
    parts: list[str],
) -> tuple[list[str] | None, list[str] | None, list[int] | None]:
    """``kpi/<ids>/municipality/<ids>/year/<ids>`` with at least two of the three."""
    if len(parts) % 2:
        raise ApiError(404, "malformed data path")
    found: dict[str, list[str]] = {}
    for key, seg in zip(parts[::2], parts[1::2], strict=True):
        if key not in ("kpi", "municipality", "year") or key in found:
            raise ApiError(404, f"unknown or repeated segment {key!r}")
        found[key] = ids_of(seg, key)
    return _selection(found)


def parse_data_query(
    query: dict[str, list[str]],
) -> tuple[list[str] | None, list[str] | None, list[int] | None]:
    """``kpi_id=…&municipality_id=…&year=…`` (repeated or comma-separated)."""
    found = {
        name: ids_of(",".join(query[key]), name, where="query parameter")
        for key, name in QUERY_KEYS.items()
        if key in query
    }
    return _selection(found)


def data_selection(
    parts: list[str], query: dict[str, list[str]]
) -> tuple[list[str] | None, list[str] | None, list[int] | None]:
    """The selection of a data request: its path after ``data/``, or else its query."""
    return parse_data_path(parts) if parts else parse_data_query(query)
