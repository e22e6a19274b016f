"""One row of a seed file, read so that every error names the file, the line and the field."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import CatalogueError


@dataclass(frozen=True)
class SeedLine:
    """One row of a seed file, its fields parsed where an error names the file, line and field."""

    row: dict[str, str]
    path: str
    line: int

    def error(self, field: str, problem: str) -> CatalogueError:
        return CatalogueError(self.path, self.line, field, problem)

    def number(self, field: str) -> float | None:
        text = self.row[field]
        try:
            return float(text) if text.strip() else None
        except ValueError as exc:
            raise self.error(field, f"{text!r} is not a number") from exc

    def year(self, field: str) -> int:
        try:
            return int(self.row[field])
        except ValueError as exc:
            raise self.error(field, f"{self.row[field]!r} is not an integer year") from exc

    def flag(self, field: str) -> bool:
        low = self.row[field].strip().lower()
        if low not in ("true", "false"):
            raise self.error(field, f"{self.row[field]!r} is not true/false")
        return low == "true"


def seed_lines(path: Path) -> Iterator[SeedLine]:
    """A seed file's rows; line numbers count the header as line 1."""
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            yield SeedLine(row, str(path), n)
