"""The Kolada part of the bundled snapshot, indexed for the query shapes the API answers, with
revisions applied (the data behind the replay server's ``/v2`` and ``/v3`` paths)."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from ingest import snapshot

# The date every snapshot value counts as published: a `from_date` after it returns only what
# was revised since (see KoladaSnapshot.revise and the "revise" fault).
SNAPSHOT_PUBLISHED = "2026-11-01"
REVISE_REQUIRED = ("kpi", "municipality", "year", "value")
# The fields of a served entry: [count, gender, status, value, changed on, deleted].
COUNT, GENDER, STATUS, VALUE, CHANGED, DELETED = range(6)
# The order of genders inside a v3 data object varies on the live API: by year parity here.
GENDER_ORDER = ("KMT", "TKM")


class KoladaSnapshot:
    """The snapshot indexed for the query shapes the API answers, with revisions applied.

    Cells are kept per KPI (every data request names its KPIs), each KPI's cells sorted by
    municipality and year, so a request touches only the KPIs it asks for.
    """

    def __init__(self, store: snapshot.Snapshot = snapshot.BUNDLED) -> None:
        self._lock = threading.Lock()
        self.version = store.kolada_version
        self.kpis = {r["id"]: r for r in store.kolada_csv("kpi.csv")}
        self.municipalities = {r["id"]: r for r in store.kolada_csv("municipality.csv")}
        self.cells = _index_cells(store)

    def revise(self, spec: dict[str, Any], on: str | None = None) -> None:
        """Change (or, with ``value: null``, delete) one served value as of ``on`` (today).

        Like a statistics office revising a figure: later plain queries serve the new value, and
        a ``from_date`` query on or before ``on`` returns it (with ``isdeleted`` when deleted).
        """
        missing = [k for k in REVISE_REQUIRED if k not in spec]
        if missing:
            raise ValueError(f"fault 'revise' needs field(s) {missing}")
        value = spec["value"]
        if value is not None and not isinstance(value, int | float):
            raise ValueError(f"fault 'revise' value must be a number or null, got {value!r}")
        kpi, key = str(spec["kpi"]), (str(spec["municipality"]), int(spec["year"]))
        gender = spec.get("gender", "T")
        changed = on or datetime.now(UTC).date().isoformat()
        with self._lock:
            by_cell = self.cells.setdefault(kpi, {})
            entries = by_cell.setdefault(key, [])
            entry = next((e for e in entries if e[GENDER] == gender), None)
            if entry is None:
                entry = [1, gender, None, None, changed, False]
                entries.append(entry)
                self.cells[kpi] = dict(sorted(by_cell.items()))
            entry[VALUE] = None if value is None else float(value)
            entry[CHANGED] = changed
            entry[DELETED] = value is None

    def kpi_objects(self, ids: list[str] | None, title: str | None) -> list[dict[str, Any]]:
        rows = [self.kpis[i] for i in ids if i in self.kpis] if ids else list(self.kpis.values())
        if title:
            rows = [r for r in rows if title.lower() in r["title"].lower()]
        return [
            {
                "id": r["id"],
                "title": r["title"],
                "description": r["description"],
                "operating_area": r["operating_area"],
                "is_divided_by_gender": r["is_divided_by_gender"].lower() == "true",
                "municipality_type": r["municipality_type"],
                "publ_period": r["publ_period"],
                # Kolada's publication calendar: the next planned publication and, where
                # Kolada publishes preliminary figures first, that date.
                "publication_date": r.get("publication_date") or None,
                "prel_publication_date": r.get("prel_publication_date") or None,
                "has_ou_data": False,
            }
            for r in rows
        ]

    def municipality_objects(self, ids: list[str] | None) -> list[dict[str, Any]]:
        rows = (
            [self.municipalities[i] for i in ids if i in self.municipalities]
            if ids
            else list(self.municipalities.values())
        )
        return [{"id": r["id"], "title": r["title"], "type": r["type"]} for r in rows]

    def data_objects(
        self,
        kpis: list[str] | None,
        munis: list[str] | None,
        years: list[int] | None,
        from_date: str | None = None,
        version: str = "v3",
    ) -> list[dict[str, Any]]:
        """Data objects as the API serves them. With ``from_date``: only values changed on or
        after it, deleted ones too. v3 as live v3 answered (FORMATS.md): ``status`` ``""`` when
        there is none, ``isdeleted`` (boolean) on every value, the genders in an order that
        varies (K, M, T in even years, T, K, M in odd ones). v2 as documented: ``status`` as
        held, ``is_deleted`` (0/1) only with ``from_date``."""
        serve = _v3_value if version == "v3" else _v2_value
        out = []
        with self._lock:
            chosen = sorted(set(kpis) & self.cells.keys()) if kpis else list(self.cells)
            for kpi in chosen:
                for (m, y), vals in _selected_cells(self.cells[kpi], munis, years):
                    if from_date:
                        served = [serve(v, True) for v in vals if v[CHANGED] >= from_date]
                    else:
                        served = [serve(v, False) for v in vals if not v[DELETED]]
                    if version == "v3":
                        served.sort(key=lambda v: GENDER_ORDER[y % 2].index(v["gender"]))
                    if served:
                        out.append({"kpi": kpi, "municipality": m, "period": y, "values": served})
        return out


def _selected_cells(
    by_cell: dict[tuple[str, int], list[list]], munis: list[str] | None, years: list[int] | None
):
    """The cells of one KPI for the asked municipalities and years, in (municipality, year)
    order: looked up when both are given (a request names at most 25 of each), else scanned."""
    if munis and years:
        keys = ((m, y) for m in sorted(set(munis)) for y in sorted(set(years)))
        return [(key, by_cell[key]) for key in keys if key in by_cell]
    ms, ys = (set(x) if x else None for x in (munis, years))
    return [
        ((m, y), vals)
        for (m, y), vals in by_cell.items()
        if (ms is None or m in ms) and (ys is None or y in ys)
    ]


def _index_cells(store: snapshot.Snapshot) -> dict[str, dict[tuple[str, int], list[list]]]:
    """KPI → (municipality, year) → the served entries, each KPI's cells sorted. Built from the
    values file column by column, sorted by pyarrow; an entry is a small list (see COUNT …
    DELETED), made into the API's object when served (three times faster to build than dicts
    of every row: the in-process replay of `make run` starts in half a second)."""
    names = ("kpi", "municipality", "period", "gender", "count", "status", "value")
    table = pq.read_table(store.kolada_dir / snapshot.VALUES_FILE, columns=list(names))
    order = pc.sort_indices(
        table,
        sort_keys=[("kpi", "ascending"), ("municipality", "ascending"), ("period", "ascending")],
    )
    table = table.take(order)
    columns = [table.column(n).to_pylist() for n in names]
    cells: dict[str, dict[tuple[str, int], list[list]]] = defaultdict(dict)
    for kpi, muni, period, gender, count, status, value in zip(*columns, strict=True):
        cells[kpi].setdefault((muni, period), []).append(
            [count, gender, status, value, SNAPSHOT_PUBLISHED, False]
        )
    return dict(cells)


def _v3_value(entry: list, changed_since: bool) -> dict[str, Any]:
    return {
        "gender": entry[GENDER],
        "count": entry[COUNT],
        "status": entry[STATUS] or "",
        "value": entry[VALUE],
        "isdeleted": bool(entry[DELETED]),
    }


def _v2_value(entry: list, changed_since: bool) -> dict[str, Any]:
    value = {
        "count": entry[COUNT],
        "gender": entry[GENDER],
        "status": entry[STATUS],
        "value": entry[VALUE],
    }
    if changed_since:
        value["is_deleted"] = int(entry[DELETED])
    return value
