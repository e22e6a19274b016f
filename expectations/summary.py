"""What a validation found, as plain data (no Great Expectations import): the runner returns it,
the checks render it as Dagster metadata and the audit table stores it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    rule: str
    observed: Any
    unexpected_count: int | None
    unexpected_examples: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class ValidationSummary:
    suite: str
    success: bool
    evaluated_at: str
    row_count: int
    outcomes: list[ExpectationOutcome]
    run_name: str | None = None
    # The Data Docs page of this validation (None without a docs_dir).
    docs_page: str | None = None

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def describe_failures(self) -> str:
        """One line per failed expectation, naming the rule, column and examples."""
        lines = []
        for o in self.failed:
            col = f" on {o.column!r}" if o.column else ""
            if o.unexpected_count is None:
                detail = f"observed {o.observed}"
            else:
                detail = f"{o.unexpected_count} unexpected"
            examples = f"; examples: {o.unexpected_examples}" if o.unexpected_examples else ""
            rule = f" ({o.rule})" if o.rule else ""
            lines.append(f"{o.expectation}{col}{rule}: {detail}{examples}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failed": [o.expectation for o in self.failed]}


def docs_index(docs_dir: Path) -> Path:
    """The Data Docs site's index page under ``docs_dir``."""
    return Path(docs_dir) / "data_docs" / "index.html"
