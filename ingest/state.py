"""What the pipeline already holds, and what a new fetch changes.

The current state of a source is the newest accepted (validated) row per key across its raw loads.
A fetch is compared with it, and only new, changed and deleted values are landed: an unchanged
source lands an empty load that says so. Loads are never rewritten.

A full fetch is the source's whole answer for what it asked: a value the pipeline holds inside
that request (its ``scope``) that the answer no longer has was withdrawn at the source, and is
landed as a deletion (``is_deleted``, no value), just as Kolada's ``from_date`` answers flag one.

Each manifest also records what was asked for and how many values came back (``request``,
``mode``, ``changes.fetched_rows``); :func:`previous_full_fetch` finds the earlier full fetch a
new one is compared with.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from ingest import snapshot
from ingest.http import HttpStats
from ingest.landing import LoadSummary, RawLanding, utc_now


@dataclass(frozen=True)
class ChangeCounts:
    fetched: int
    new: int
    changed: int
    deleted: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {
            "fetched_rows": self.fetched,
            "new_rows": self.new,
            "changed_rows": self.changed,
            "deleted_rows": self.deleted,
            "unchanged_rows": self.unchanged,
        }


def current_state(landing: RawLanding, key: list[str]) -> pd.DataFrame:
    """The newest accepted row per key (empty frame when nothing was accepted yet)."""
    frames = [landing.read(load_id, "values").to_pandas() for load_id in landing.accepted_loads()]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*key, "value", "is_deleted"])
    state = pd.concat(frames, ignore_index=True).drop_duplicates(subset=key, keep="last")
    return state.reset_index(drop=True)


def _same(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and a != a):
        return b is None or (isinstance(b, float) and b != b)
    return a == b


def changes(
    fetched: list[dict[str, Any]], state: pd.DataFrame, key: list[str]
) -> tuple[list[dict[str, Any]], ChangeCounts]:
    """The fetched rows that are new, changed or deleted compared with ``state``, and counts."""
    known: dict[tuple, tuple[Any, bool, bool]] = {}
    if len(state):
        deleted, synthetic = (
            state[flag].fillna(False) if flag in state else pd.Series(False, index=state.index)
            for flag in ("is_deleted", "is_synthetic")
        )
        for k, value, was_deleted, was_synthetic in zip(
            state[key].itertuples(index=False, name=None),
            state["value"],
            deleted,
            synthetic,
            strict=True,
        ):
            known[tuple(k)] = (
                None if pd.isna(value) else float(value),
                bool(was_deleted),
                bool(was_synthetic),
            )
    out: list[dict[str, Any]] = []
    new = changed = removed = 0
    for row in fetched:
        k = tuple(row[c] for c in key)
        is_deleted = bool(row.get("is_deleted", False))
        if k not in known or known[k][1]:
            if is_deleted:
                continue  # deleted before we ever held it: nothing to record
            new += 1
        elif is_deleted:
            removed += 1
        elif _same(known[k][0], row["value"]) and known[k][2] == bool(
            row.get("is_synthetic", False)
        ):
            continue  # the same figure, equally real (a synthetic one now real is a change)
        else:
            changed += 1
        out.append(row)
    counts = ChangeCounts(
        len(fetched), new, changed, removed, len(fetched) - new - changed - removed
    )
    return out, counts


WITHDRAWN = "withdrawn: held, but absent from a full fetch of its request"
# Columns a withdrawal does not carry over from the value it withdraws.
_NOT_CARRIED = frozenset({"load_id", "value", "count", "status", "is_synthetic", "provenance"})


def withdrawn(
    fetched: list[dict[str, Any]],
    state: pd.DataFrame,
    key: list[str],
    scope: dict[str, frozenset[str]],
    columns: list[str],
) -> list[dict[str, Any]]:
    """Deletions for the held values inside ``scope`` (key column → ids asked for) that a full
    fetch did not return; ``columns`` are the landed table's (the key and e.g. SCB's table id
    are kept, the value and its flags are not)."""
    if not len(state):
        return []
    held = state
    if "is_deleted" in held:
        held = held[~held["is_deleted"].fillna(False).astype(bool)]
    for column, ids in scope.items():
        held = held[held[column].astype(str).isin(ids)]
    returned = {tuple(row[c] for c in key) for row in fetched}
    carried = [c for c in columns if c in held.columns and c not in _NOT_CARRIED]
    out = []
    for row in held[carried].to_dict("records"):
        if tuple(row[c] for c in key) in returned:
            continue
        clean = {c: (None if isinstance(v, float) and v != v else v) for c, v in row.items()}
        out.append({**clean, "value": None, "is_deleted": True})
    return out


# Request fields that say how a fetch was made, not which values it asked for.
NOT_SCOPE = frozenset({"from_date", "max_cells"})


@dataclass(frozen=True)
class FetchRecord:
    """One load's fetch, read back from its manifest."""

    load_id: str
    mode: str  # "full" or "incremental"
    fetched_rows: int | None  # values the source returned, before the diff (None: not recorded)
    from_date: str | None
    scope: dict[str, frozenset[str]]  # which values were asked for: request field → ids

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> FetchRecord:
        request = manifest.get("request") or {}
        scope = {
            name: frozenset(str(v) for v in value)
            if isinstance(value, list | tuple)
            else frozenset([str(value)])
            for name, value in request.items()
            if name not in NOT_SCOPE
        }
        fetched = (manifest.get("changes") or {}).get("fetched_rows")
        return cls(
            load_id=manifest["load_id"],
            mode=manifest.get("mode", "full"),
            fetched_rows=None if fetched is None else int(fetched),
            from_date=request.get("from_date"),
            scope=scope,
        )

    def covers(self, other: FetchRecord) -> bool:
        """True when this request asked for everything ``other`` asked for (or more)."""
        return self.scope.keys() == other.scope.keys() and all(
            other.scope[name] <= ids for name, ids in self.scope.items()
        )


def previous_full_fetch(landing: RawLanding, load_id: str) -> FetchRecord | None:
    """The newest accepted full fetch before ``load_id`` whose request ``load_id``'s request
    covers (the same request, or a narrower one) and whose fetched row count is recorded."""
    current = FetchRecord.from_manifest(landing.manifest(load_id))
    for earlier in reversed([a for a in landing.accepted_loads() if a < load_id]):
        record = FetchRecord.from_manifest(landing.manifest(earlier))
        if record.mode == "full" and record.fetched_rows is not None and current.covers(record):
            return record
    return None


@dataclass(frozen=True)
class FetchedLoad:
    """What a loader fetched, ready to be compared with the state and landed."""

    source: str
    key: list[str]
    schema: pa.Schema
    rows: list[dict[str, Any]]
    replay_version: str | None
    url: str
    mode: str
    manifest: dict[str, Any]  # source-specific fields (api, base URLs, request, payload sha256 …)
    from_date: str | None = None
    replay_snapshot: Path | None = None  # which snapshot labels a replay's values (None: bundled)
    extra_tables: dict[str, pa.Table] | None = None  # landed beside the values, as they are
    # A full fetch's request per key column (e.g. kpi_id → the KPIs asked for): held values inside
    # it that the fetch lacks are landed as withdrawn. None: the fetch says nothing of absences.
    scope: dict[str, frozenset[str]] | None = None


def changed_rows(
    landing: RawLanding, fetched: FetchedLoad
) -> tuple[list[dict[str, Any]], ChangeCounts]:
    """The rows to land and their counts: the fetched rows labelled with their provenance and
    compared with the accepted state (new and changed ones), and, after a full fetch with a
    scope, the held values inside it that the fetch lacks, as withdrawn."""
    state = current_state(landing, fetched.key)
    labelled = snapshot.with_provenance(
        fetched.rows,
        fetched.replay_version,
        fetched.url,
        fetched.source,
        fetched.key,
        snapshot.at(fetched.replay_snapshot),
    )
    landed, counts = changes(labelled, state, fetched.key)
    if fetched.mode == "full" and fetched.scope:
        gone = withdrawn(fetched.rows, state, fetched.key, fetched.scope, fetched.schema.names)
        landed += [{**row, "is_synthetic": False, "provenance": WITHDRAWN} for row in gone]
        counts = replace(counts, deleted=counts.deleted + len(gone))
    return landed, counts


def land_changes(
    landing: RawLanding,
    load_id: str,
    fetched: FetchedLoad,
    http: HttpStats,
    started: str,
    t0: float,
    removed_incomplete: list[str],
) -> LoadSummary:
    """Land what changed as load ``load_id``: diff against the accepted state, label provenance,
    write values + manifest (with the change counts and the seconds spent fetching, from ``t0``,
    and landing), and summarise the load."""
    fetched_at = time.monotonic()
    landed, counts = changed_rows(landing, fetched)
    values = pa.Table.from_pylist(
        [{**r, "load_id": load_id} for r in landed], schema=fetched.schema
    )
    now = time.monotonic()
    duration = now - t0
    manifest = {
        **fetched.manifest,
        "served_by_replay": fetched.replay_version is not None,
        "replay_snapshot": fetched.replay_version,
        "mode": fetched.mode,
        "request_urls": http.urls,
        "started_at": started,
        "finished_at": utc_now(),
        "duration_s": round(duration, 3),
        "timings": {"fetch_s": round(fetched_at - t0, 3), "land_s": round(now - fetched_at, 3)},
        "http": http.as_dict(),
        "changes": counts.as_dict(),
        "row_count": values.num_rows,
    }
    path = landing.land(load_id, {"values": values, **(fetched.extra_tables or {})}, manifest)
    return LoadSummary(
        load_id=load_id,
        path=path,
        rows=values.num_rows,
        synthetic_rows=sum(1 for v in values.column("is_synthetic").to_pylist() if v),
        duration_s=duration,
        http=http.as_dict(),
        urls=list(http.urls),
        served_by_replay=fetched.replay_version is not None,
        removed_incomplete=removed_incomplete,
        mode=fetched.mode,
        from_date=fetched.from_date,
        changes=counts.as_dict(),
    )
