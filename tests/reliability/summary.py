"""The reliability suite's ledger: every fault case it tried and what it cost.

Each case records itself (:func:`record`) before asserting, so a case that fails is in the ledger
too. Under pytest-xdist each worker writes its cases to ``data/reliability/.cases/<worker>.json``
when its session ends; the controller (or the single process without xdist) merges them into
``data/reliability/summary.json`` and prints the table at the end of the run.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass

from tests.conftest import REPO_ROOT

OUT_DIR = REPO_ROOT / "data" / "reliability"
FRAGMENTS = OUT_DIR / ".cases"
CATEGORIES = (
    "transient",
    "permanent",
    "live_limits",
    "bad_values",
    "crash",
    "concurrency",
    "hostile_config",
    "security",
)


@dataclass(frozen=True)
class FaultCase:
    name: str  # unique, e.g. "kolada_429_retry_after"
    category: str  # one of CATEGORIES
    tried: str  # what was done, in a sentence
    survived: bool  # the promise held: it recovered, or refused as it should
    rows_lost: int  # rows landed or published before that are gone or changed after
    bad_rows_published: int  # rows the fault made bad that reached dbt or the published marts
    detail: str = ""  # the error the run gave, or what was compared

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"category {self.category!r}; expected one of {CATEGORIES}")


CASES: list[FaultCase] = []


def record(case: FaultCase) -> FaultCase:
    if any(c.name == case.name for c in CASES):
        raise ValueError(f"fault case {case.name!r} recorded twice; names must be unique")
    CASES.append(case)
    return case


def reset() -> None:
    """Before a run: forget the fragments of an earlier one."""
    shutil.rmtree(FRAGMENTS, ignore_errors=True)


def write_fragment(worker: str) -> None:
    if not CASES:
        return
    FRAGMENTS.mkdir(parents=True, exist_ok=True)
    path = FRAGMENTS / f"{worker}.json"
    path.write_text(json.dumps([asdict(c) for c in CASES], ensure_ascii=False), encoding="utf-8")


def merge() -> list[FaultCase]:
    if not FRAGMENTS.is_dir():
        return []
    cases = [
        FaultCase(**c)
        for path in sorted(FRAGMENTS.glob("*.json"))
        for c in json.loads(path.read_text(encoding="utf-8"))
    ]
    return sorted(cases, key=lambda c: (CATEGORIES.index(c.category), c.name))


def summarise(cases: list[FaultCase]) -> dict:
    return {
        "faults_tried": len(cases),
        "survived": sum(c.survived for c in cases),
        "rows_lost": sum(c.rows_lost for c in cases),
        "bad_rows_published": sum(c.bad_rows_published for c in cases),
        "by_category": {
            cat: sum(c.category == cat for c in cases)
            for cat in CATEGORIES
            if any(c.category == cat for c in cases)
        },
        "cases": [asdict(c) for c in cases],
    }


def table(summary: dict) -> list[str]:
    lines = [
        f"{'case':<44} {'category':<15} {'survived':<9} {'lost':>5} {'bad':>5}",
        "-" * 82,
    ]
    for c in summary["cases"]:
        lines.append(
            f"{c['name']:<44} {c['category']:<15} {'yes' if c['survived'] else 'NO':<9} "
            f"{c['rows_lost']:>5} {c['bad_rows_published']:>5}"
        )
    lines += [
        "-" * 82,
        f"faults tried {summary['faults_tried']}, survived {summary['survived']}, "
        f"rows lost {summary['rows_lost']}, bad rows published {summary['bad_rows_published']}",
    ]
    return lines


def write_summary() -> dict | None:
    cases = merge()
    if not cases:
        return None
    summary = summarise(cases)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    shutil.rmtree(FRAGMENTS, ignore_errors=True)
    return summary
