"""Whether a night's run can leave dbt, the gap tables, the report and the publication as they are.

No Dagster imports: the dbt asset (orchestration/defs/assets/dbt.py) asks :func:`decide` and, on a
skip, yields nothing, so Dagster skips every step downstream of it.

Everything downstream of the loads is a function of four inputs, fingerprinted here:

``loads``    the accepted loads that brought values (load id and payload hash), and Kolada's KPI
             calendar as the newest accepted load saw it (its content, not its load id);
``dbt``      every file of the dbt project: models, tests, macros and the seeds (the catalogue,
             the strategy's structure and targets);
``code``     every file of the pipeline's own packages (the gap method, statements, report,
             publication, checks);
``settings`` what selects the build: the region followed up, the first year and the scope.

An empty load (the night found nothing new) leaves every part as it was. The fingerprint is stored
with each publication (``publications.inputs_fingerprint``). A rebuild is needed unless the
fingerprint equals the published one *and* the report and (when configured) the PostgreSQL copy
were written from that same publication; otherwise the reason names what differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.landing import RawLanding
from orchestration.runtime.dbt_manifest import source_files

SOURCES = ("kolada", "scb")
# The metadata key of a materialization that confirms an asset current on a skipped night (its
# value: the reason); the run summary tells such a confirmation from a rebuild by it.
CONFIRMED_CURRENT = "confirmed_current"
PARTS = ("loads", "dbt", "code", "settings")
# The pipeline's own packages, whose files the code part hashes (relative to the repository).
CODE_PACKAGES = ("orchestration", "expectations", "ingest")


@dataclass(frozen=True)
class Fingerprint:
    """One sha256 per input part, and their digest."""

    parts: dict[str, str]

    @property
    def digest(self) -> str:
        return _sha256(json.dumps(self.parts, sort_keys=True))[:16]

    def to_json(self) -> str:
        return json.dumps({"digest": self.digest, "parts": self.parts}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Fingerprint | None:
        if not text:
            return None
        doc = json.loads(text)
        parts = doc.get("parts") if isinstance(doc, dict) else None
        if not isinstance(parts, dict) or set(parts) != set(PARTS):
            return None  # written by another version of the gate: treat as unknown
        return cls({k: str(v) for k, v in parts.items()})

    def changed_parts(self, other: Fingerprint) -> list[str]:
        return [p for p in PARTS if self.parts.get(p) != other.parts.get(p)]


@dataclass(frozen=True)
class Published:
    """What the publication holds and what was written from it."""

    publication_id: str
    published_at: str
    fingerprint: Fingerprint | None
    report_publication: str | None  # the publication the newest report was written from
    postgres_publication: str | None  # ditto for PostgreSQL; None when not published there


@dataclass(frozen=True)
class Decision:
    skip: bool
    reason: str


def _sha256(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def _files_digest(root: Path, dirs: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for top in dirs:
        for path in source_files(top):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _kpi_calendar_digest(landing: RawLanding, load_id: str) -> str:
    table = landing.read(load_id, "kpis")
    rows = table.drop_columns([c for c in ("load_id",) if c in table.column_names]).to_pylist()
    return _sha256(json.dumps(sorted(rows, key=json.dumps), sort_keys=True, default=str))


def loads_digest(raw_dir: Path) -> str:
    """The accepted loads that carry values, and the newest accepted Kolada KPI calendar."""
    entries: list[object] = []
    for source in SOURCES:
        landing = RawLanding(raw_dir, source)
        accepted = landing.accepted_loads()
        for load_id in accepted:
            manifest = landing.manifest(load_id)
            if int(manifest.get("row_count") or 0) > 0:
                entries.append([source, load_id, manifest.get("payload_sha256")])
        if (
            source == "kolada"
            and accepted
            and (landing.dir / accepted[-1] / "kpis.parquet").exists()
        ):
            entries.append(["kolada_kpis", _kpi_calendar_digest(landing, accepted[-1])])
    return _sha256(json.dumps(entries))


def inputs_fingerprint(
    raw_dir: Path, repo_root: Path, region_code: str, first_year: int, scope: str = "region"
) -> Fingerprint:
    return Fingerprint(
        {
            "loads": loads_digest(raw_dir),
            "dbt": _files_digest(repo_root, [repo_root / "dbt_project"]),
            "code": _files_digest(repo_root, [repo_root / p for p in CODE_PACKAGES]),
            "settings": _sha256(
                json.dumps({"region": region_code, "first_year": first_year, "scope": scope})
            ),
        }
    )


def read_publication(published_duckdb: Path) -> tuple[str, str, Fingerprint | None] | None:
    """(publication id, published at, its inputs' fingerprint) of the published file; None when
    there is no publication. A publication from before fingerprints has fingerprint None."""
    if not published_duckdb.exists():
        return None
    con = duckdb.connect(str(published_duckdb), read_only=True)
    try:
        columns = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'main' and table_name = 'publications'"
            ).fetchall()
        }
        if not columns:
            return None
        fingerprint = "inputs_fingerprint" if "inputs_fingerprint" in columns else "null"
        row = con.execute(
            f"select publication_id, published_at::varchar, {fingerprint}::varchar "
            "from main.publications"
        ).fetchone()
    finally:
        con.close()
    if row is None:
        return None
    return str(row[0]), str(row[1]), Fingerprint.from_json(row[2])


def decide(current: Fingerprint, published: Published | None, postgres_enabled: bool) -> Decision:
    """Skip only when a rebuild would reproduce exactly what is published everywhere."""
    if published is None:
        return Decision(False, "nothing is published yet")
    pid = published.publication_id
    if published.fingerprint is None:
        return Decision(False, f"publication {pid} records no inputs fingerprint")
    changed = current.changed_parts(published.fingerprint)
    if changed:
        return Decision(False, f"inputs changed since publication {pid}: {', '.join(changed)}")
    if published.report_publication != pid:
        return Decision(False, f"the newest report was not written from publication {pid}")
    if postgres_enabled and published.postgres_publication != pid:
        return Decision(False, f"PostgreSQL does not hold publication {pid}")
    return Decision(
        True,
        f"inputs unchanged since publication {pid} ({published.published_at} UTC): "
        f"no accepted load brought new values, and the dbt project, code and settings "
        f"are the same (fingerprint {current.digest})",
    )
