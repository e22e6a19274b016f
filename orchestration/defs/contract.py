"""The code location's contract: every asset (key, group, dependencies, kinds, owners, freshness
policy), every check (and whether it blocks), every job and schedule, as one JSON document.

The committed listing (``tests/integration/code_location.json``) is compared with the definitions
by a test, so any change to the graph a user or a BI tool relies on is a visible diff.
``python -m orchestration.defs.contract --write`` rewrites it after an intended change.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import dagster as dg
from dagster._core.definitions.freshness import TimeWindowFreshnessPolicy

from orchestration.runtime.settings import REPO_ROOT

LISTING = REPO_ROOT / "tests" / "integration" / "code_location.json"


def contract(defs: dg.Definitions) -> dict[str, Any]:
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(p.to_user_string() for p in node.parent_keys),
            "kinds": sorted(node.kinds),
            "owners": list(node.owners),
            "freshness": _freshness(node.freshness_policy),
        }
    checks: dict[str, list[dict[str, Any]]] = {}
    for check in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.path, k.name)):
        checks.setdefault(check.asset_key.to_user_string(), []).append(
            {"name": check.name, "blocking": bool(graph.get(check).blocking)}
        )
    return {
        "assets": assets,
        "checks": checks,
        "jobs": sorted(j.name for j in defs.jobs or []),
        "schedules": {
            s.name: {"job": s.job_name, "cron": s.cron_schedule, "timezone": s.execution_timezone}
            for s in sorted(defs.schedules or [], key=lambda s: s.name)
        },
        "sensors": sorted(s.name for s in defs.sensors or []),
    }


def _freshness(policy: dg.FreshnessPolicy | None) -> dict[str, float] | None:
    """A time-window policy as hours (warn, fail); None without one."""
    if policy is None:
        return None
    if not isinstance(policy, TimeWindowFreshnessPolicy):
        raise ValueError(f"unexpected freshness policy {policy!r}; expected a time window")
    warn = policy.warn_window.to_timedelta() if policy.warn_window else None
    return {
        "warn_hours": warn.total_seconds() / 3600 if warn else None,
        "fail_hours": policy.fail_window.to_timedelta().total_seconds() / 3600,
    }


def render(defs: dg.Definitions) -> str:
    return json.dumps(contract(defs), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.defs.contract", description=__doc__
    )
    parser.add_argument("--write", action="store_true", help=f"rewrite {LISTING.name}")
    args = parser.parse_args(argv)
    from orchestration.definitions import defs

    text = render(defs)
    if args.write:
        LISTING.write_text(text, encoding="utf-8")
        print(f"wrote {LISTING}")
        return 0
    if not LISTING.is_file() or LISTING.read_text(encoding="utf-8") != text:
        print(f"{LISTING} differs from the definitions; run with --write", file=sys.stderr)
        return 1
    print("code location contract up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
