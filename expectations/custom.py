"""Custom Great Expectations expectations, for what the built-in ones cannot see.

A raw load holds only what changed since the last accepted load, so the number of values the source
returned (recorded in the load's manifest) is not a property of the validated frame. It is checked
by :class:`ExpectFetchedRowCountToBeBetween`, a batch expectation that takes the count as a
parameter. It lives in the load's suite like every other expectation: its result is in the same
validation result, Data Docs page, check metadata and audit rows, and a failure blocks the load.

Importing this module registers the expectation with GX (the runner imports it, so stored suites
and results using it can always be read back).
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.expectations.expectation import BatchExpectation

from expectations.volume import within


class ExpectFetchedRowCountToBeBetween(BatchExpectation):
    """Expect the number of values the source returned for this load to lie within a band.

    Args:
        fetched_rows: the values the source returned (the manifest's ``changes.fetched_rows``),
            before the load was reduced to what changed.
        min_value, max_value: the band, in rows; ``None`` leaves that side open.
        skip_reason: why the band does not apply to this load (an incremental fetch, no earlier
            full fetch to compare with); the expectation then passes and reports the reason as its
            observed value.

    The observed value is ``fetched_rows``; ``details.landed_rows`` is the validated frame's row
    count (what changed), for context.
    """

    fetched_rows: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    skip_reason: str | None = None

    metric_dependencies: ClassVar[tuple[str, ...]] = ("table.row_count",)
    success_keys: ClassVar[tuple[str, ...]] = (
        "fetched_rows",
        "min_value",
        "max_value",
        "skip_reason",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("fetched_rows", "min_value", "max_value")

    def _validate(
        self,
        metrics: dict[str, Any],
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        details = {"landed_rows": metrics.get("table.row_count")}
        if self.skip_reason:
            return {
                "success": True,
                "result": {"observed_value": self.skip_reason, "details": details},
            }
        if self.fetched_rows is None:
            return {
                "success": False,
                "result": {"observed_value": "no fetched row count given", "details": details},
            }
        success = within(self.fetched_rows, self.min_value, self.max_value)
        return {
            "success": success,
            "result": {"observed_value": self.fetched_rows, "details": details},
        }
