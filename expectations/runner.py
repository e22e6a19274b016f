"""Run a suite on a DataFrame and return a typed, JSON-ready summary.

GX runs in an ephemeral context (no files, no network, no progress bars); Data Docs are rendered
separately from the stored results.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

MAX_EXAMPLES = 10


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

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def describe_failures(self) -> str:
        """One line per failed expectation, naming the rule, column and examples."""
        lines = []
        for o in self.failed:
            col = f" on {o.column!r}" if o.column else ""
            examples = f"; examples: {o.unexpected_examples}" if o.unexpected_examples else ""
            lines.append(
                f"{o.expectation}{col} ({o.rule}): {o.unexpected_count} unexpected{examples}"
            )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "failed": [o.expectation for o in self.failed]}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def validate(
    frame: pd.DataFrame, name: str, expectations: list[gx.expectations.Expectation]
) -> ValidationSummary:
    """Validate ``frame`` with suite ``name`` of ``expectations``; a failed one never raises."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    tag = uuid.uuid4().hex[:8]
    batch = (
        context.data_sources.add_pandas(f"frame_{tag}")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name))
    for expectation in expectations:
        suite.add_expectation(expectation)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite.name}_{tag}", data=batch, suite=suite)
    )
    result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        res = r.result or {}
        examples = res.get("partial_unexpected_list") or []
        if r.exception_info and r.exception_info.get("raised_exception"):
            examples = [r.exception_info.get("exception_message")]
        outcomes.append(
            ExpectationOutcome(
                expectation=cfg.type,
                column=cfg.kwargs.get("column")
                or (",".join(cfg.kwargs["column_list"]) if cfg.kwargs.get("column_list") else None),
                success=bool(r.success),
                rule=(cfg.meta or {}).get("rule", ""),
                observed=_jsonable(res.get("observed_value", res.get("element_count"))),
                unexpected_count=res.get("unexpected_count"),
                unexpected_examples=_jsonable(list(examples)[:MAX_EXAMPLES]),
            )
        )
    return ValidationSummary(
        suite=suite.name,
        success=bool(result.success),
        evaluated_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        row_count=len(frame),
        outcomes=outcomes,
    )
