"""``python -m ingest live-check``: before the first live night, ask each live endpoint the
pipeline uses one small real question and compare each answer's shape with what the loaders read.

Prints one line per endpoint (``ok`` or ``FAIL`` with the field that differs, expected vs found,
or the HTTP/network error) and a summary; exits 0 only when every endpoint is ok. Writes nothing
but its own report, ``<data-dir>/live-check/<UTC time>.json``. The questions are in
``ingest.live_check_probes``, the shapes in ``ingest.live_check_shapes``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ingest.config import KOLADA_LIVE_BASE_URL, KOLADA_POLITENESS, KoladaConfig, kolada_base_url
from ingest.errors import FetchError, IngestError, ResponseFormatError
from ingest.live_check_probes import LiveQuestions, Plan, Question, RecordingHttp
from ingest.pxweb.config import (
    PXWEB_V1_LIVE_BASE_URL,
    PXWEB_V2_LIVE_BASE_URL,
    SCB_POLITENESS,
    PxWebConfig,
    pxweb_base_urls,
)

REPORT_DIR = "live-check"
SHOWN_DIFFERENCES = 3  # per FAIL line; the report has them all


# The pipeline's politeness (ingest/config.py, ingest/pxweb/config.py), with fewer attempts: a
# check, not a load.
KOLADA_HTTP = KOLADA_POLITENESS.http_config(max_attempts=3, max_retry_after_s=30.0)
SCB_HTTP = SCB_POLITENESS.http_config(max_attempts=3, max_retry_after_s=30.0)


@dataclass
class EndpointResult:
    """One endpoint's line and report entry."""

    endpoint: str
    method: str | None
    url: str | None
    status: int | None
    ms: float | None
    ok: bool
    differences: list[str] = field(default_factory=list)

    @property
    def difference(self) -> str | None:
        return "; ".join(self.differences) or None

    def line(self) -> str:
        if self.ok:
            return f"ok    {self.endpoint:<30} {self.ms or 0:>7.0f} ms  {self.method} {self.url}"
        shown = "; ".join(self.differences[:SHOWN_DIFFERENCES])
        more = len(self.differences) - SHOWN_DIFFERENCES
        return f"FAIL  {self.endpoint}: {shown}" + (
            f" (+{more} more in the report)" if more > 0 else ""
        )

    def as_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["ms"] = None if self.ms is None else round(self.ms, 1)
        d["difference"] = self.difference
        return d


# -- errors ----------------------------------------------------------------------------------------
def http_status(exc: FetchError) -> int | None:
    """The HTTP status a FetchError reports, None for a network failure (no answer)."""
    status = getattr(exc, "status", None)  # HttpStatusError carries it
    if isinstance(status, int):
        return status
    m = re.match(r"HTTP (\d{3})", exc.cause)
    return int(m.group(1)) if m else None


def short_reason(cause: str) -> str:
    """The gist of a requests error: ``[Errno 111] Connection refused``, ``timed out``, …"""
    m = re.search(r"\[Errno -?\d+\][^'\")\]]*", cause)
    if m:
        return m.group(0).strip()
    if cause.startswith("timed out"):
        return "timed out"
    return cause if len(cause) <= 120 else cause[:117] + "..."


def describe_fetch_error(exc: FetchError) -> str:
    """A FetchError as one clear sentence naming the URL."""
    status = http_status(exc)
    if status is not None:
        return f"{exc.method} {exc.url} answered {exc.cause}"
    host = urlsplit(exc.url).hostname or exc.url
    hint = (
        "is the replay server running?"
        if host.startswith("127.") or host == "localhost"
        else "this machine may have no route to the live APIs"
    )
    return (
        f"cannot reach {host}: {exc.method} {exc.url} failed after {exc.attempts} attempt(s) "
        f"({short_reason(exc.cause)}); {hint}"
    )


# -- running ---------------------------------------------------------------------------------------
def ask(question: Question) -> tuple[EndpointResult, bool]:
    """Ask one question: its result, and whether its host answered at all."""
    mark = question.http.mark()
    reached = True
    try:
        differences = question.ask()
    except FetchError as exc:
        differences = [describe_fetch_error(exc)]
        reached = http_status(exc) is not None
    except (ResponseFormatError, ValueError, IngestError) as exc:
        differences = [str(exc)]
    exchanges = question.http.exchanges[mark:]
    last = exchanges[-1] if exchanges else None
    result = EndpointResult(
        question.name,
        last.method if last else None,
        last.url if last else None,
        last.status if last else None,
        sum(e.ms for e in exchanges) if exchanges else None,
        not differences,
        differences,
    )
    return result, reached


def not_asked(q: Question, reason: str) -> EndpointResult:
    """The result of a question left unasked, saying why."""
    return EndpointResult(q.name, None, None, None, None, False, [f"not asked: {reason}"])


def run_questions(
    questions: Sequence[Question], on_result: Callable[[EndpointResult], None] = lambda r: None
) -> list[EndpointResult]:
    """Ask each question in turn. A host that cannot be reached is not asked again, and a
    question whose basis failed is not asked: both are reported as FAIL, saying why."""
    unreachable: dict[str, str] = {}
    failed: set[str] = set()
    results = []
    for q in questions:
        host = urlsplit(q.base_url).netloc
        if host in unreachable:
            result = not_asked(q, f"{host} could not be reached (see {unreachable[host]})")
        elif q.needs in failed:
            result = not_asked(q, f"it builds on {q.needs}, which failed")
        else:
            result, reached = ask(q)
            if not reached:
                unreachable[host] = q.name
        if not result.ok:
            failed.add(q.name)
        results.append(result)
        on_result(result)
    return results


# -- configuration and report ----------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    kolada: KoladaConfig
    pxweb: PxWebConfig
    data_dir: Path


def settings(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    """The pipeline's configuration (KOLADA_BASE_URL, PXWEB_BASE_URL, PXWEB_V1_BASE_URL,
    RUS_DATA_DIR), the command's options first; read from ``environ``, never written."""
    present = {k: v for k, v in environ.items() if v}  # an empty variable counts as unset
    v1, v2 = pxweb_base_urls(present)
    return Settings(
        KoladaConfig(base_url=(args.kolada_url or kolada_base_url(present)).rstrip("/")),
        PxWebConfig(
            v1_base_url=(args.scb_v1_url or v1).rstrip("/"),
            v2_base_url=(args.scb_url or v2).rstrip("/"),
        ),
        args.data_dir or Path(present.get("RUS_DATA_DIR", "data")),
    )


def write_report(
    results: Sequence[EndpointResult], s: Settings, started: datetime, requests: int
) -> Path:
    """``<data-dir>/live-check/<UTC time>.json``; never overwrites an earlier report."""
    folder = s.data_dir / REPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "checked_at": started.isoformat().replace("+00:00", "Z"),
        "ok": all(r.ok for r in results),
        "base_urls": {
            "kolada": s.kolada.base_url,
            "scb_v2": s.pxweb.v2_base_url,
            "scb_v1": s.pxweb.v1_base_url,
        },
        "requests": requests,
        "endpoints": [r.as_dict() for r in results],
    }
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    for n in range(100):
        path = folder / (f"{stamp}.json" if n == 0 else f"{stamp}-{n}.json")
        try:
            with path.open("x", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=2)
                f.write("\n")
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: 100 reports named {stamp}*.json already")


def summary(results: Sequence[EndpointResult], report: Path) -> str:
    failed = [r.endpoint for r in results if not r.ok]
    if not failed:
        return f"live-check: all {len(results)} endpoints ok; report {report}"
    return (
        f"live-check: {len(failed)} of {len(results)} endpoints FAILED ({', '.join(failed)}); "
        f"report {report}"
    )


# -- command line ----------------------------------------------------------------------------------
def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "live-check",
        help="ask each live endpoint one small question; compare the answers' shapes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--kolada-url",
        help=f"Kolada v3 base (default $KOLADA_BASE_URL, else {KOLADA_LIVE_BASE_URL})",
    )
    p.add_argument(
        "--scb-url",
        help=f"PxWebApi 2.0 base (default $PXWEB_BASE_URL, else {PXWEB_V2_LIVE_BASE_URL})",
    )
    p.add_argument(
        "--scb-v1-url",
        help=f"PxWeb v1 base (default $PXWEB_V1_BASE_URL, else {PXWEB_V1_LIVE_BASE_URL})",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the report goes to <data-dir>/live-check/ (default $RUS_DATA_DIR, else ./data)",
    )


def run(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """The command: 0 when every endpoint is ok, 1 on any difference or error."""
    started = datetime.now(UTC)
    try:
        s = settings(args, environ)
        plan = Plan.from_catalogue(environ)
    except (IngestError, ValueError) as exc:
        print(f"ingest live-check: {exc}", file=sys.stderr)
        return 2
    kolada_http, scb_http = RecordingHttp(KOLADA_HTTP), RecordingHttp(SCB_HTTP)
    live = LiveQuestions(s.kolada, s.pxweb, plan, kolada_http, scb_http)
    results = run_questions(live.questions(), lambda r: print(r.line(), flush=True))
    requests = kolada_http.stats.requests + scb_http.stats.requests
    try:
        report = write_report(results, s, started, requests)
    except OSError as exc:
        print(
            f"ingest live-check: cannot write the report under {s.data_dir}: {exc}", file=sys.stderr
        )
        return 1
    print(summary(results, report))
    return 0 if all(r.ok for r in results) else 1
