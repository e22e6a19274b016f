"""``python -m ingest.replay [--port 0] [--faults F.json] [--ready-file PATH] [--max-cells N]
[--kolada-max-ids N] [--kolada-page-cap N] [--snapshot DIR]``.

``--kolada-max-ids`` and ``--kolada-page-cap`` play live Kolada's limits (422 past N ids in a
dimension; at most N items per page, paged by next_url); ``--max-cells`` SCB's (403 past N cells).
The defaults serve the bundled behaviour: no id limit, 5000-item pages, 100 000 cells."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ingest.replay.faults import read_faults_file
from ingest.replay.limits import ReplayLimits
from ingest.replay.server import ReplayServer
from ingest.snapshot import BUNDLED, Snapshot


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest.replay", description=__doc__)
    parser.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--faults", type=Path, help="JSON file with a list of faults to inject")
    parser.add_argument("--ready-file", type=Path, help="write the base URL here once listening")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    parser.add_argument(
        "--max-cells", type=int, default=100_000, help="SCB PxWeb cells per request (100000)"
    )
    parser.add_argument(
        "--kolada-max-ids",
        type=int,
        default=None,
        help="Kolada ids per request per dimension; past it HTTP 422 (default: no limit)",
    )
    parser.add_argument(
        "--kolada-page-cap",
        type=int,
        default=None,
        help="Kolada items per page at most, paged by next_url (default: per_page as asked)",
    )
    parser.add_argument(
        "--snapshot",
        type=Path,
        default=BUNDLED.root,
        help="snapshot directory to serve (default: the bundled one)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if not (args.snapshot / "kolada").is_dir() or not (args.snapshot / "scb").is_dir():
            raise ValueError(
                f"--snapshot {args.snapshot}: expected a snapshot directory with kolada/ and scb/"
            )
        server = ReplayServer(
            args.host,
            args.port,
            verbose=args.verbose,
            store=Snapshot(args.snapshot),
            limits=ReplayLimits(
                kolada_max_ids=args.kolada_max_ids,
                kolada_page_cap=args.kolada_page_cap,
                scb_max_cells=args.max_cells,
            ),
        )
        if args.faults:
            server.configure(read_faults_file(args.faults, "--faults"))
    except (ValueError, OSError) as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)
    print(
        f"replay server listening on {server.url} (Kolada v3 at {server.url}/v3, "
        f"snapshot {server.data.version}; SCB PxWeb v1 at {server.url}/OV0104/v1/doris/sv/ssd "
        f"and v2 at {server.url}/api/v2, snapshot {server.scb.version})"
        + ("" if server.limits == ReplayLimits() else f"; playing {server.limits}"),
        flush=True,
    )
    if args.ready_file:
        tmp = args.ready_file.with_suffix(".tmp")
        tmp.write_text(server.url, encoding="utf-8")
        tmp.replace(args.ready_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
