"""The fetched row count's band, in plain Python (no Great Expectations import).

A raw load holds only what changed, so the number of values the source returned is recorded in
the load's manifest and judged here: relative to the previous accepted full fetch of the same
request. The GX suites wrap :func:`volume_rule` in ``ExpectFetchedRowCountToBeBetween``
(expectations/custom.py), which judges with :func:`within`. A load that landed no values at all
has nothing for a suite to look at but this band: :func:`validate_volume_only` judges it without
starting GX (that import alone takes ~4 s, most of a no-change night; benchmarks/).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from expectations.summary import ExpectationOutcome, ValidationSummary

EXPECTATION = "expect_fetched_row_count_to_be_between"


@dataclass(frozen=True)
class FetchBand:
    """How far a full fetch's row count may move from the previous comparable full fetch:
    ``low``–``high`` times its row count (default 0.5–2×)."""

    low: float = 0.5
    high: float = 2.0

    def __post_init__(self) -> None:
        if not 0 <= self.low <= 1 <= self.high:
            raise ValueError(
                f"fetch band {self.low}–{self.high}× must satisfy 0 ≤ low ≤ 1 ≤ high "
                "(a fetch as large as the previous one must pass)"
            )

    def describe(self) -> str:
        return f"{self.low:g}–{self.high:g}×"


@dataclass(frozen=True)
class FetchVolume:
    """How many values the source returned for a load, and the full fetch to compare that with.

    ``mode`` and ``fetched_rows`` come from the load's manifest; ``previous_*`` describe the newest
    accepted full fetch before it whose request this load's request covers (see
    ``ingest.state.previous_full_fetch``). ``previous_narrower`` says that request asked for less
    (the catalogue widened since), so only the lower bound applies.
    """

    mode: str
    fetched_rows: int | None
    from_date: str | None = None
    previous_load_id: str | None = None
    previous_rows: int | None = None
    previous_narrower: bool = False


@dataclass(frozen=True)
class VolumeRule:
    """The band a load's fetched row count must lie in (``None``: that side open), its rule in
    words, and ``skip``: why the band does not apply to this load (it then passes)."""

    rule: str
    low: float | None = None
    high: float | None = None
    skip: str | None = None


def volume_rule(volume: FetchVolume, band: FetchBand | None = None) -> VolumeRule:
    """The band on the number of values a full fetch returned, relative to the previous full fetch.

    Loads are incremental, so the validated frame (what changed) is often empty; the band applies
    to what the source returned. It is skipped, saying why, for an incremental fetch (Kolada's
    ``from_date``: only changed values come back) and when there is no earlier full fetch of the
    same request to compare with.
    """
    band = band or FetchBand()
    rule = f"fetched row count within {band.describe()} of the previous full fetch"
    if volume.mode != "full":
        since = f" since {volume.from_date}" if volume.from_date else ""
        skip = f"incremental load (values changed{since}): the band applies to full fetches only"
        return VolumeRule(rule, skip=skip)
    if volume.fetched_rows is None:
        return VolumeRule(rule, skip="the load's manifest records no fetched row count")
    if volume.previous_rows is None:
        return VolumeRule(
            rule, skip="no previous accepted full fetch of this request to compare with"
        )
    previous = f"{volume.previous_rows} rows, load {volume.previous_load_id}"
    low = band.low * volume.previous_rows
    if volume.previous_narrower:
        narrower = (
            f"fetched row count at least {band.low:g}× the previous full fetch of a "
            f"narrower request ({previous})"
        )
        return VolumeRule(narrower, low=low)
    return VolumeRule(f"{rule} ({previous})", low=low, high=band.high * volume.previous_rows)


def within(fetched_rows: int | None, low: float | None, high: float | None) -> bool:
    """Whether ``fetched_rows`` lies in the band (an unknown count never does)."""
    if fetched_rows is None:
        return False
    return (low is None or fetched_rows >= low) and (high is None or fetched_rows <= high)


def validate_volume_only(
    suite: str, volume: FetchVolume, band: FetchBand, run_name: str
) -> ValidationSummary:
    """The verdict on a load that landed no values: only its fetched row count can be judged
    (every other expectation of the suite is about values, and there are none)."""
    rule = volume_rule(volume, band)
    success = rule.skip is not None or within(volume.fetched_rows, rule.low, rule.high)
    outcome = ExpectationOutcome(
        expectation=EXPECTATION,
        column=None,
        success=success,
        rule=rule.rule,
        observed=rule.skip or volume.fetched_rows,
        unexpected_count=None,
    )
    return ValidationSummary(
        suite=suite,
        success=success,
        evaluated_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        row_count=0,
        outcomes=[outcome],
        run_name=run_name,
    )
