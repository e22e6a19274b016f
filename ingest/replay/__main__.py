"""``python -m ingest.replay [--port 0] [--faults F.json] [--ready-file PATH] [--max-cells N]
[--snapshot DIR]``."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from ingest.replay.faults import read_faults_file
from ingest.replay.server import ReplayServer
from ingest.snapshot import BUNDLED, Snapshot


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
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
        "--snapshot",
        type=Path,
        default=BUNDLED.root,
        help="snapshot directory to serve (default: the bundled one)",
    )
    args = parser.parse_args(argv)
    try:
        if not (args.snapshot / "kolada").is_dir() or not (args.snapshot / "scb").is_dir():
            raise ValueError(
                f"--snapshot {args.snapshot}: expected a snapshot directory with kolada/ and scb/"
            )
        server = ReplayServer(
            args.host,
            args.port,
            verbose=args.verbose,
            max_cells=args.max_cells,
            store=Snapshot(args.snapshot),
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
        f"and v2 at {server.url}/api/v2, snapshot {server.scb.version})",
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
