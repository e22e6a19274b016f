"""Build the bundled snapshot: ``python -m ingest.snapshot.build`` (``make snapshot``).

1. When the real-data collection is there (``--realdata``, default ``../shared/realdata``),
   refresh ``sources/`` from it (only the catalogue's series, verbatim).
2. Build what the replay serves from ``sources/``: ``kolada/values.parquet``, ``kpi.csv``,
   ``municipality.csv``; ``scb/values.parquet``, ``tables.json``; ``coverage.csv``; and the
   generated parts of ``README.md``. Real values only; deterministic.

``--check`` writes nothing and exits 1 naming every file that differs from what would be built.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ingest.snapshot import VALUES_FILE, kolada_build, scb_build
from ingest.snapshot.coverage import coverage, coverage_csv
from ingest.snapshot.files import HERE, read_parquet, write_parquet, write_text
from ingest.snapshot.pxweb_meta import tables_json
from ingest.snapshot.readme import readme_text
from ingest.snapshot.realdata import DEFAULT_REALDATA, check_sources, refresh
from ingest.snapshot.scb_specs import load_specs

KOLADA_VALUES = Path("kolada") / VALUES_FILE
SCB_VALUES = Path("scb") / VALUES_FILE


@dataclass(frozen=True)
class Built:
    tables: dict[Path, pa.Table]  # relative path → Parquet content
    texts: dict[Path, str]  # relative path → text content


def render() -> Built:
    """Every served file's content, from ``sources/``."""
    specs = load_specs()
    kolada = kolada_build.values()
    scb_rows = scb_build.served_rows(specs)
    scb = scb_build.values(specs)
    cov = coverage(kolada, scb)
    return Built(
        tables={KOLADA_VALUES: kolada, SCB_VALUES: scb},
        texts={
            Path("kolada/kpi.csv"): kolada_build.kpi_csv(),
            Path("kolada/municipality.csv"): kolada_build.municipality_csv(),
            Path("scb/tables.json"): tables_json(specs, scb_rows, HERE / "scb" / "recorded"),
            Path("coverage.csv"): coverage_csv(cov),
            Path("README.md"): readme_text(kolada.num_rows, scb.num_rows, cov),
        },
    )


def differences(built: Built, root: Path = HERE) -> list[str]:
    """Relative paths whose committed content is not what ``built`` holds."""
    out = []
    for rel, table in built.tables.items():
        path = root / rel
        if not path.is_file() or not read_parquet(path).equals(table):
            out.append(str(rel))
    for rel, text in built.texts.items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            out.append(str(rel))
    return out


def write(built: Built, root: Path = HERE) -> None:
    for rel, table in built.tables.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        write_parquet(table, root / rel)
    for rel, text in built.texts.items():
        write_text(root / rel, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.snapshot.build", description=__doc__)
    parser.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on a diff")
    args = parser.parse_args(argv)
    have_realdata = args.realdata.is_dir()
    if args.check:
        stale = check_sources(args.realdata) if have_realdata else []
        stale += differences(render())
        if stale:
            print(f"snapshot out of date: {', '.join(stale)} (run make snapshot)", file=sys.stderr)
            return 1
        print("snapshot up to date")
        return 0
    if have_realdata:
        changed = refresh(args.realdata)
        print(f"sources/ from {args.realdata}: {', '.join(changed) or 'unchanged'}")
    else:
        print(f"no real-data collection at {args.realdata}: building from sources/ as committed")
    built = render()
    write(built)
    kolada, scb = built.tables[KOLADA_VALUES], built.tables[SCB_VALUES]
    print(f"snapshot: {kolada.num_rows} Kolada and {scb.num_rows} SCB values (real) -> {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
