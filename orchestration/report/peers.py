"""The county against its comparable län, for an indicator whose target is the peer mean
(``target_type`` = peer: T_t = the mean of the peer län's values in year t, docs/method.md §3).

For the county's current gap row it says how many of the peer län the county is ahead of that
year, in the desired direction (for a lower-is-better indicator, ahead = lower), and whether the
distance to the peer mean closes: the distance now (``benchmark_gap``) against the baseline's
(``baseline_value`` − ``benchmark_baseline_value``), read by the gap table's own
``benchmark_label`` (the status of a PEER row reads the same change, so the words agree with
it). The peer values are checked against the row's ``benchmark_value``: the mean the status
was judged against. Pure functions; no Dagster imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from orchestration.gap_method.changes import UNITLESS
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.labels import INSUFFICIENT as INSUFFICIENT_DATA
from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.gap_method.numbers import as_float, fmt, short_unit
from orchestration.report.targets import distance_words, year_of

PEER_MIN_COUNT = GapMethodConfig().peer_min_count
INSUFFICIENT = STATUS_LABELS[INSUFFICIENT_DATA]


@dataclass(frozen=True)
class PeerComparison:
    year: int | None
    value: float | None  # the county's value
    peers: tuple[tuple[str, float | None], ...]  # (name, value that year) per peer län
    ahead: int = 0  # peers the county is ahead of (direction-aware)
    level_with: int = 0  # peers with exactly the county's value
    mean: float | None = None  # B_t: the gap row's peer mean
    distance: float | None = None  # g_t = d·(x_t − B_t)
    baseline_year: int | None = None
    baseline_distance: float | None = None  # g_b = d·(x_b − B_b)
    trend: str | None = None  # the gap row's benchmark_label: "efter, avståndet minskar"
    lower_is_better: bool = False
    reason: str | None = None  # why there is no comparison

    @property
    def compared(self) -> int:
        """Peers with a value that year."""
        return sum(v is not None for _, v in self.peers)


def _matches(mean: float, benchmark: float | None) -> bool:
    return benchmark is not None and abs(mean - benchmark) <= 1e-9 * max(1.0, abs(benchmark))


def _reason(
    row: Mapping[str, Any], peers: tuple[tuple[str, float | None], ...], min_count: int
) -> str | None:
    """Why the county cannot be compared with its peers in the row's year."""
    t = year_of(row.get("assessment_year"))
    with_value = [v for _, v in peers if v is not None]
    if not peers:
        return "inga jämförbara län är angivna för länet"
    if as_float(row.get("value")) is None:
        return f"inget värde för länet {t}"
    if len(peers) < min_count:
        return (
            f"bara {len(peers)} jämförbara län är angivna för länet (minst {min_count} med ett "
            "värde behövs)"
        )
    if len(with_value) < min_count:
        return (
            f"bara {len(with_value)} av {len(peers)} jämförbara län har ett värde {t} "
            f"(minst {min_count} behövs)"
        )
    if not _matches(sum(with_value) / len(with_value), as_float(row.get("benchmark_value"))):
        return "de jämförbara länens värden stämmer inte med medelvärdet i bedömningen"
    return None


def compare_with_peers(
    row: Mapping[str, Any],
    peer_values: Mapping[str, float | None],
    min_count: int = PEER_MIN_COUNT,
) -> PeerComparison:
    """The county's current gap row (sex T) against the peer län's values in the row's year.

    ``peer_values``: each peer län's name → its value that year (None without one), in the
    order they are named.
    """
    peers = tuple((name, as_float(v)) for name, v in peer_values.items())
    t, x = year_of(row.get("assessment_year")), as_float(row.get("value"))
    d = as_float(row.get("direction_sign")) or 1.0
    reason = _reason(row, peers, min_count)
    if reason:
        return PeerComparison(t, x, peers, lower_is_better=d < 0, reason=reason)
    better = [d * (x - v) for _, v in peers if v is not None]
    x_b, b_b = as_float(row.get("baseline_value")), as_float(row.get("benchmark_baseline_value"))
    return PeerComparison(
        year=t,
        value=x,
        peers=peers,
        ahead=sum(g > 0 for g in better),
        level_with=sum(g == 0 for g in better),
        mean=as_float(row.get("benchmark_value")),
        distance=as_float(row.get("benchmark_gap")),
        baseline_year=year_of(row.get("baseline_year_used")),
        baseline_distance=d * (x_b - b_b) if x_b is not None and b_b is not None else None,
        trend=str(row["benchmark_label"]) if row.get("benchmark_label") else None,
        lower_is_better=d < 0,
    )


def _ahead_words(c: PeerComparison) -> str:
    n = c.compared
    among = (
        f"{n} jämförbara län"
        if n == len(c.peers)
        else (f"de {n} jämförbara län som har ett värde {c.year}")
    )
    text = f"ligger före {c.ahead} av {among}"
    if c.level_with:
        text += f" och i nivå med {c.level_with}"
    return text + (" (lägre värde är bättre)" if c.lower_is_better else "")


def _distance_words(c: PeerComparison, meta: Mapping[str, Any]) -> str:
    """The distance to the peer mean then and now, and whether it closes, in the gap table's
    words; "otillräckliga data" for the change without a baseline mean."""
    now = f"{distance_words(c.distance, meta)} år {c.year}"
    lead = f"Avståndet till deras medelvärde ({fmt(c.mean)})"
    if c.baseline_year is None or c.baseline_year == c.year:
        return f"{lead} är {now}; ingen utveckling sedan basåret att bedöma ännu."
    if c.baseline_distance is None:
        return (
            f"{lead} är {now}; {INSUFFICIENT} för utvecklingen – inget medelvärde för basåret "
            f"{c.baseline_year}."
        )
    then = f"{distance_words(c.baseline_distance, meta)} år {c.baseline_year}"
    trend = (c.trend or "").partition(", ")[2]
    return f"{lead} var {then} och är {now}" + (f" – {trend}." if trend else ".")


def peer_sentence(label: str, region_name: str, c: PeerComparison, meta: Mapping[str, Any]) -> str:
    """One line for the report: "Nystartade företag 2022: <län> (4,1) ligger före 3 av 4
    jämförbara län (<län> 3,9; …). Avstånd till deras medelvärde (4,3): 0,6 … efter 2017, 0,2
    … efter 2022 – avståndet minskar." Or why there is no comparison."""
    when = f" {c.year}" if c.year is not None else ""
    if c.reason:
        return f"{label}{when}: {INSUFFICIENT} för en jämförelse med jämförbara län – {c.reason}."
    values = "; ".join(
        f"{name} {fmt(v)}" if v is not None else f"{name} saknar värde" for name, v in c.peers
    )
    unit = short_unit(str(meta.get("unit") or ""))
    named = f"{label} ({unit})" if unit not in UNITLESS else label
    head = f"{named}{when}: {region_name} ({fmt(c.value)}) {_ahead_words(c)} ({values})."
    return f"{head} {_distance_words(c, meta)}"
