"""The SCB table and series specs (``scb_specs.toml``) as typed objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.pxweb.client import KON_TO_SEX
from ingest.pxweb.series import parse_series_id

SPECS_FILE = Path(__file__).resolve().parent / "scb_specs.toml"


@dataclass(frozen=True)
class Var:
    """A variable other than Region and Tid: ``values`` = ((code, Swedish text), ...)."""

    code: str
    text: str
    values: tuple[tuple[str, str], ...]
    elimination: bool = False


@dataclass(frozen=True)
class TableSpec:
    title: str
    infofile: str
    variables: tuple[Var, ...]
    time_text: str
    unit: dict[str, dict[str, Any]]
    note: str


@dataclass(frozen=True)
class SeriesSpec:
    """A catalogue series and the real-data series ids it is built from."""

    series_id: str
    label: str
    sources: tuple[str, ...]

    @property
    def table(self) -> str:
        return parse_series_id(self.series_id).table


@dataclass(frozen=True)
class ScbSpecs:
    tables: dict[str, TableSpec]
    series: dict[str, SeriesSpec]
    sex_labels: dict[str, str]
    reconstructed_note: str

    def sexes_of(self, series_id: str) -> list[str]:
        """The sexes a series is served for: those its table's Kon variable holds, unless the
        series fixes Kon; T only without a Kon variable."""
        series = parse_series_id(series_id)
        kon = next((v for v in self.tables[series.table].variables if v.code == "Kon"), None)
        if kon is None:
            return ["T"]
        fixed = series.fixed_code("Kon")
        codes = [fixed] if fixed else [c for c, _ in kon.values]
        return sorted({KON_TO_SEX[c] for c in codes}, key="TKM".index)

    def series_of_source(self) -> dict[str, str]:
        """Real-data series id → catalogue series id."""
        return {src: s.series_id for s in self.series.values() for src in s.sources}


def _table(spec: dict[str, Any], where: str) -> TableSpec:
    try:
        variables = tuple(
            Var(
                v["code"],
                v["text"],
                tuple(tuple(p) for p in v["values"]),
                v.get("elimination", False),
            )
            for v in spec["variables"]
        )
        return TableSpec(
            spec["title"],
            spec["infofile"],
            variables,
            spec["time_text"],
            spec["unit"],
            spec["note"],
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{SPECS_FILE.name}: table {where}: missing or malformed {exc}") from exc


@lru_cache(maxsize=1)
def load_specs(path: Path = SPECS_FILE) -> ScbSpecs:
    """Read and check the specs: every series' table is specified, every field present."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = {name: _table(spec, name) for name, spec in doc["tables"].items()}
    series = {
        sid: SeriesSpec(sid, spec["label"], tuple(spec["sources"]))
        for sid, spec in doc["series"].items()
    }
    for s in series.values():
        if s.table not in tables:
            raise ValueError(
                f"{path.name}: series {s.series_id!r} names table {s.table!r}, "
                f"which has no [tables] entry"
            )
    return ScbSpecs(tables, series, dict(doc["sex_labels"]), doc["reconstructed_note"])
