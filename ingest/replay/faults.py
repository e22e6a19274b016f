"""Faults the replay server injects on request, for reliability tests and demos.

A fault is a JSON object ``{"kind": ..., "path": <regex, optional>, "times": <int, optional>}``
plus the kind's own fields:

=============== ==========================================================================
kind            effect
=============== ==========================================================================
status          answer ``status`` (e.g. 429, 500, 503) with optional ``retry_after`` seconds
                and optional ``body`` (a JSON value; default ``{"error": "injected fault"}``)
latency         sleep ``seconds`` before answering (a client timeout shorter than it fires)
reset           close the connection without an answer
truncate        announce the full Content-Length but send only the first half of the body
slow_body       send the answer in ``pieces`` (default 4) with ``seconds`` between them
garbage         answer 200 with ``body`` (default an HTML error page), which is not JSON
oversize        announce a Content-Length of ``bytes`` (default 1 GiB) and stream filler
endless         a chunked 200 answer that never ends (filler until the client hangs up)
loop_page       (Kolada) every page's ``next_url``/``next_page`` links back to itself
cap_page        (Kolada) a page cut to ``items`` items without saying so: no ``next_url``,
                ``count`` of that page (the silent cap that lost KPIs for one project)
corrupt_value   set the value of ``kpi``/``municipality``/``year``/``gender`` to ``value``
rename_field    rename the data object's field ``from`` to ``to``
duplicate_item  send each Kolada data object of ``kpi`` (and ``municipality``, optional) twice
recode_field    in each Kolada data object whose ``field`` is ``from``, set it to ``to`` (e.g. a
                municipality code the source does not have)
recode_category (SCB) in a JSON-stat answer, category ``from`` of ``dimension`` becomes ``to``
revise          (not a fault: a state change) set the value of ``kpi``/``municipality``/``year``/
                ``gender`` to ``value`` (null deletes it) as revised today, for ``from_date``
=============== ==========================================================================

``times`` (default: unlimited) is how many matching requests the fault applies to.

``corrupt_value`` garbles a value in an answer that holds it (a full fetch); an incremental answer
(``from_date``) holds only revised values, so a bad figure published by the source is a ``revise``.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = frozenset(
    {
        "status",
        "latency",
        "reset",
        "truncate",
        "slow_body",
        "garbage",
        "oversize",
        "endless",
        "loop_page",
        "cap_page",
        "recode_category",
        "corrupt_value",
        "rename_field",
        "duplicate_item",
        "recode_field",
    }
)
REQUIRED = {
    "status": ("status",),
    "latency": ("seconds",),
    "slow_body": ("seconds",),
    "corrupt_value": ("kpi", "municipality", "year", "value"),
    "rename_field": ("from", "to"),
    "duplicate_item": ("kpi",),
    "recode_field": ("field", "from", "to"),
    "cap_page": ("items",),
    "recode_category": ("dimension", "from", "to"),
}


@dataclass
class Fault:
    kind: str
    spec: dict[str, Any]
    path: re.Pattern[str] | None = None
    remaining: int | None = None

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> Fault:
        if not isinstance(spec, dict):
            raise ValueError(f"a fault must be a JSON object, got {spec!r}")
        kind = spec.get("kind")
        if kind == "revise":
            raise ValueError("'revise' changes the served data: send it to ReplayServer.configure")
        if kind not in KINDS:
            raise ValueError(f"fault kind {kind!r} unknown; expected one of {sorted(KINDS)}")
        missing = [k for k in REQUIRED.get(kind, ()) if k not in spec]
        if missing:
            raise ValueError(f"fault {kind!r} needs field(s) {missing}")
        if kind == "cap_page" and (not isinstance(spec["items"], int) or spec["items"] < 0):
            raise ValueError(
                f"fault 'cap_page' items must be an integer >= 0, got {spec['items']!r}"
            )
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise ValueError(f"fault 'times' must be a positive integer, got {times!r}")
        path = re.compile(spec["path"]) if spec.get("path") else None
        return cls(kind, spec, path, times)


@dataclass
class FaultPlan:
    """Thread-safe list of active faults."""

    faults: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, specs: list[dict[str, Any]]) -> None:
        parsed = [Fault.parse(s) for s in specs]
        with self._lock:
            self.faults = parsed

    def clear(self) -> None:
        with self._lock:
            self.faults = []

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**f.spec, "remaining": f.remaining} for f in self.faults]

    def take(
        self, path: str, kinds: frozenset[str] | set[str], limit: int | None = None
    ) -> list[Fault]:
        """Up to ``limit`` faults of ``kinds`` matching ``path``, consuming one use each."""
        hits: list[Fault] = []
        with self._lock:
            for f in self.faults:
                if limit is not None and len(hits) >= limit:
                    break
                if f.kind in kinds and (f.path is None or f.path.search(path)):
                    if f.remaining is not None:
                        f.remaining -= 1
                    hits.append(f)
            self.faults = [f for f in self.faults if f.remaining is None or f.remaining > 0]
        return hits


def read_faults_file(path: Path, name: str = "faults file") -> list[dict[str, Any]]:
    """The fault specs in ``path``, each checked, before any is used: a file that is missing, is
    not JSON, or holds anything but a list of known faults (or ``revise`` changes) is an error
    naming ``name`` and the path and saying what was expected."""
    expected = "expected a JSON list of fault objects (see ingest/replay/faults.py)"
    try:
        specs = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{name} {str(path)!r}: {exc}; {expected}") from exc
    if not isinstance(specs, list):
        raise ValueError(f"{name} {str(path)!r} holds a {type(specs).__name__}; {expected}")
    for i, spec in enumerate(specs):
        try:
            if isinstance(spec, dict) and spec.get("kind") == "revise":
                missing = [k for k in ("kpi", "municipality", "year", "value") if k not in spec]
                if missing:
                    raise ValueError(f"fault 'revise' needs field(s) {missing}")
            else:
                Fault.parse(spec)
        except (ValueError, re.error) as exc:
            raise ValueError(f"{name} {str(path)!r}, entry {i}: {exc}") from exc
    return specs
