"""``python -m ingest fetch {kolada,scb} [options]``: one load from the command line, with progress.
``python -m ingest live-check [options]``: before the first live night, one small question per
live endpoint, each answer's shape compared with what the loaders read (ingest/live_check.py).

``fetch`` fetches what the indicator catalogue asks for (or the series given), lands it
append-only under ``<data-dir>/raw/<source>/<load_id>/`` and prints what happened. The load is read
by dbt once the pipeline's blocking validation accepts it (``make run``); ``fetch`` only fetches
and lands.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from tqdm import tqdm

from ingest import live_check
from ingest.catalogue import check_catalogue, default_region, follow_up_scope, read_geographies
from ingest.config import HttpConfig, KoladaConfig
from ingest.errors import IngestError
from ingest.kolada.client import KoladaClient
from ingest.kolada.load import run_load as run_kolada_load
from ingest.landing import LoadSummary
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.load import run_load as run_scb_load
from ingest.ratios import fetch_baselines


def _years(text: str) -> list[int]:
    try:
        first, _, last = text.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--years {text!r}: expected YEAR or FIRST-LAST") from exc
    if not years:
        raise argparse.ArgumentTypeError(f"--years {text!r}: the range is empty")
    return years


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "live-check":
        return live_check.run(args)
    try:
        summary = _fetch(args)
    except (IngestError, ValueError) as exc:
        print(f"ingest: {exc}", file=sys.stderr)
        return 1
    _report(args.source, summary)
    return 0


def _parser() -> argparse.ArgumentParser:
    """``fetch`` with its options, and ``live-check`` (ingest/live_check.py adds its own)."""
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="fetch and land one load")
    fetch.add_argument("source", choices=["kolada", "scb"])
    fetch.add_argument(
        "--series", action="append", help="KPI id / SCB series id (default: the catalogue's)"
    )
    region = default_region()
    fetch.add_argument(
        "--region",
        default=region,
        help=f"län under follow-up (default {region}: the strategy owner's, rus_strategy.csv)",
    )
    fetch.add_argument(
        "--years", type=_years, default=None, help="e.g. 2010-2025 (default: 2010 to this year)"
    )
    fetch.add_argument("--data-dir", type=Path, default=Path("data"), help="default ./data")
    fetch.add_argument(
        "--full", action="store_true", help="Kolada: ignore from_date, fetch everything"
    )
    fetch.add_argument(
        "--calls-per-second", type=int, default=5, help="client-side rate limit per host"
    )
    live_check.add_parser(sub)
    return parser


def _fetch(args: argparse.Namespace) -> LoadSummary:
    """One load of ``args.source``: the catalogue's series of that source (or the ones given)
    for the region's geographies and the years asked for, with a progress bar."""
    catalogue = check_catalogue()
    indicators = [i for i in catalogue if i.source == args.source]
    series = args.series or [i.source_series_id for i in indicators]
    geographies = follow_up_scope(read_geographies(), args.region)
    first_year = min([2010, *fetch_baselines(catalogue, args.source)])
    years = args.years or list(range(first_year, date.today().year + 1))
    raw_root = args.data_dir / "raw"
    if args.source == "kolada":
        config = KoladaConfig.from_environ(os.environ)
        total = len(KoladaClient(config).data_urls(series, geographies, years))
        with tqdm(total=total, unit="request", desc=f"kolada {config.base_url}") as bar:
            return run_kolada_load(
                series,
                geographies,
                years,
                raw_root,
                kolada=config,
                http=HttpConfig(calls_per_period=args.calls_per_second),
                incremental=not args.full,
                progress=bar,
            )
    config = PxWebConfig.from_environ(os.environ)
    with tqdm(total=len(series), unit="series", desc=f"scb {config.v1_base_url}") as bar:
        return run_scb_load(
            series,
            geographies,
            years,
            raw_root,
            config=config,
            http=HttpConfig(calls_per_period=10, period_s=10.0),
            progress=bar,
        )


def _report(source: str, s: LoadSummary) -> None:
    c = s.changes
    mode = f"{s.mode}, from_date {s.from_date}" if s.from_date else s.mode
    print(
        f"{source} load {s.load_id} ({mode}): "
        f"{s.rows} rows landed in {s.path}\n"
        f"  fetched {c.get('fetched_rows', 0)}: {c.get('new_rows', 0)} new, "
        f"{c.get('changed_rows', 0)} changed, {c.get('deleted_rows', 0)} deleted, "
        f"{c.get('unchanged_rows', 0)} unchanged; {s.synthetic_rows} synthetic\n"
        f"  {s.http['requests']} requests, {s.http['retries']} retries, {s.http['bytes']} bytes, "
        f"{s.duration_s:.1f} s{' (replay server)' if s.served_by_replay else ''}"
    )


if __name__ == "__main__":
    sys.exit(main())
