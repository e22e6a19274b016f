"""The county against its comparable län for a peer target, on hand-built gap rows and peer
values (orchestration/report/peers.py)."""

from __future__ import annotations

from orchestration.report.peers import compare_with_peers, peer_sentence

RATE = {"scale": "rate", "unit": "antal/1000 inv"}
PEERS = ("Jönköpings län", "Kronobergs län", "Värmlands län", "Västmanlands län")


def peer_row(**changes) -> dict:
    """Nystartade företag 2022: the county 10 against the peers' mean 10.5 (0.5 behind), 8
    against 9.5 in 2017 (1.5 behind): the distance closes."""
    return {
        "indicator_id": "new_companies_per_1000",
        "target_type": "peer",
        "direction_sign": 1,
        "assessment_year": 2022,
        "value": 10.0,
        "benchmark": "peers",
        "benchmark_value": 10.5,
        "benchmark_gap": -0.5,
        "baseline_year_used": 2017,
        "baseline_value": 8.0,
        "benchmark_baseline_value": 9.5,
        "benchmark_label": "efter, avståndet minskar",
    } | changes


def test_ahead_of_three_of_four_and_the_distance_closes():
    # 10 is above 9, 9.2 and 9.8 but below 14; the mean (9 + 9.2 + 9.8 + 14)/4 = 10.5.
    values = dict(zip(PEERS, [9.0, 9.2, 9.8, 14.0], strict=True))
    c = compare_with_peers(peer_row(), values)
    assert c.reason is None
    assert (c.ahead, c.compared, c.level_with) == (3, 4, 0)
    assert c.distance == -0.5 and c.baseline_distance == -1.5
    assert peer_sentence("Nystartade företag", "Örebro län", c, RATE) == (
        "Nystartade företag (antal/1000 inv) 2022: Örebro län (10) ligger före 3 av 4 "
        "jämförbara län (Jönköpings län 9; Kronobergs län 9,2; Värmlands län 9,8; "
        "Västmanlands län 14). Avståndet till deras medelvärde (10,5) var 1,5 efter år 2017 "
        "och är 0,5 efter år 2022 – avståndet minskar."
    )


def test_lower_is_better_counts_a_lower_value_as_ahead():
    # Konkurser: 2.0 is below 2.5, 2.2 and 3.0 (ahead of them) and above 1.8; the mean 2.375,
    # so the county is 0.375 ahead, after 0.2 behind in 2017 (2.6 against 2.4).
    values = dict(zip(PEERS, [2.5, 1.8, 2.2, 3.0], strict=True))
    row = peer_row(
        direction_sign=-1,
        value=2.0,
        benchmark_value=2.375,
        benchmark_gap=0.375,
        baseline_value=2.6,
        benchmark_baseline_value=2.4,
        benchmark_label="före, försprånget växer",
    )
    c = compare_with_peers(row, values)
    assert c.ahead == 3 and c.lower_is_better
    assert c.baseline_distance == -1 * (2.6 - 2.4)
    text = peer_sentence("Företagskonkurser", "Örebro län", c, RATE)
    assert "ligger före 3 av 4 jämförbara län (lägre värde är bättre)" in text
    assert text.endswith("var 0,2 efter år 2017 och är 0,38 före år 2022 – försprånget växer.")


def test_too_few_peers_with_a_value_is_insufficient_data_and_says_why():
    values = dict(zip(PEERS, [9.0, None, 9.8, float("nan")], strict=True))
    c = compare_with_peers(peer_row(benchmark_value=float("nan")), values)
    assert c.reason == "bara 2 av 4 jämförbara län har ett värde 2022 (minst 3 behövs)"
    assert peer_sentence("Nystartade företag", "Örebro län", c, RATE) == (
        "Nystartade företag 2022: otillräckliga data för en jämförelse med jämförbara län – "
        "bara 2 av 4 jämförbara län har ett värde 2022 (minst 3 behövs)."
    )
    assert compare_with_peers(peer_row(), {}).reason == "inga jämförbara län är angivna för länet"


def test_three_of_four_with_a_value_are_enough_and_the_missing_one_is_named():
    # Mean of 9, 9.8 and 12.7 = 10.5.
    values = dict(zip(PEERS, [9.0, None, 9.8, 12.7], strict=True))
    c = compare_with_peers(peer_row(), values)
    assert c.reason is None and (c.ahead, c.compared) == (2, 3)
    text = peer_sentence("Nystartade företag", "Örebro län", c, RATE)
    assert "ligger före 2 av de 3 jämförbara län som har ett värde 2022" in text
    assert "Kronobergs län saknar värde" in text


def test_peer_values_that_do_not_give_the_assessed_mean_are_not_named():
    values = dict(zip(PEERS, [9.0, 9.2, 9.8, 20.0], strict=True))  # mean 12, not 10.5
    c = compare_with_peers(peer_row(), values)
    assert c.reason == "de jämförbara länens värden stämmer inte med medelvärdet i bedömningen"


def test_no_baseline_mean_leaves_the_change_unjudged():
    values = dict(zip(PEERS, [9.0, 9.2, 9.8, 14.0], strict=True))
    c = compare_with_peers(
        peer_row(benchmark_baseline_value=float("nan"), benchmark_label="efter"), values
    )
    text = peer_sentence("Nystartade företag", "Örebro län", c, RATE)
    assert text.endswith(
        "är 0,5 efter år 2022; otillräckliga data för utvecklingen – inget medelvärde för "
        "basåret 2017."
    )
    tied = compare_with_peers(peer_row(), dict(zip(PEERS, [9.0, 10.0, 9.0, 14.0], strict=True)))
    assert (tied.ahead, tied.level_with) == (2, 1)
