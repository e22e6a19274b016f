"""Swedish statements: what each status says, and that weak data are said to be weak."""

from __future__ import annotations

import math

from ingest.catalogue import read_indicators
from orchestration.gap_method.statements import (
    focus_effort_summary,
    in_sentence,
    indicator_statement,
)

LABEL = "Behörighet till gymnasiet"  # the catalogue's short label of N15428


def row(**kw):
    base = {
        "indicator_id": "eligible_vocational",
        "status": "on_track",
        "target_type": "absolute",
        "target_year": 2030,
        "direction_sign": 1,
        "slope": 0.8,
        "noise_band": 0.1,
        "geography_level": "lan",
        "rank_among_lan": 10,
        "lan_ranked": 21,
        "low_confidence": False,
        "is_synthetic": False,
        "sex_gap_trend": "stable",
        "sex_parity_equal": True,
        "kommun_spread_trend": "stable",
        "kommun_best_worst_ratio": 1.2,
        "score": 2.0,
    }
    return base | kw


def test_a_label_inside_a_sentence_starts_lower_case_unless_it_is_an_abbreviation():
    assert in_sentence("Andelen elbilar") == "andelen elbilar"
    assert in_sentence("BRP per invånare") == "BRP per invånare"


def test_every_catalogue_label_reads_as_the_subject_of_a_statement():
    # A noun phrase, not a title: no unit, comma or parenthesised qualifier of the source's.
    for indicator in read_indicators():
        label = indicator.short_label
        assert "," not in label and "(%)" not in label and "/inv" not in label, label
        assert label != indicator.title, label


def test_a_direction_statement_moves_the_way_the_value_moved_since_the_baseline():
    # Real case: Örebro län's U70447 (trust in healthcare) 71.9 in 2017, 69.5 in 2022, although
    # the six-year robust slope is positive; the status (wrong direction) rests on the change
    # since the baseline, and so must the verb.
    trust = row(
        status="wrong_direction",
        target_type="direction",
        target_year=math.nan,
        slope=0.3,
        value=69.5011,
        baseline_value=71.9372941,
    )
    assert indicator_statement(trust, "Förtroende för sjukvården i sin helhet") == (
        "Förtroende för sjukvården i sin helhet minskar, åt fel håll."
    )
    # N03920 (unemployment, lower is better): 6.35 in 2017, 5.92 in 2022.
    unemployment = row(
        status="on_track",
        target_type="direction",
        target_year=math.nan,
        direction_sign=-1,
        slope=0.003,
        value=5.92225,
        baseline_value=6.346146,
    )
    assert indicator_statement(unemployment, "Arbetslösa av befolkningen 18-65 år") == (
        "Arbetslösa av befolkningen 18-65 år minskar i önskad takt."
    )


def test_each_status_with_a_target_has_its_own_wording():
    said = {
        status: indicator_statement(row(status=status), LABEL)
        for status in (
            "target_met",
            "target_met_worsening",
            "on_track",
            "nearly_on_track",
            "too_slow",
            "stagnating",
            "wrong_direction",
        )
    }
    s = "Behörighet till gymnasiet"
    assert said["target_met"] == f"{s} har nått målet 2030."
    assert said["on_track"] == f"{s} ökar i den takt som krävs för målet 2030."
    assert said["nearly_on_track"] == f"{s} ökar, nästan i den takt som krävs för målet 2030."
    assert said["too_slow"] == f"{s} ökar för långsamt för målet 2030."
    assert said["stagnating"] == f"{s} står still; målet 2030 nås inte i den här takten."
    assert "har nått målet 2030, men" in said["target_met_worsening"]
    assert len(set(said.values())) == len(said)


def test_a_decrease_desired_moving_the_wrong_way_says_it_increases():
    # Lower is better (d = −1) and the slope is positive: it increases, away from the target.
    text = indicator_statement(
        row(status="wrong_direction", direction_sign=-1, slope=0.4), "Utsläpp av växthusgaser"
    )
    assert text == "Utsläpp av växthusgaser ökar, bort från målet 2030."


def test_too_slow_in_the_2022_follow_ups_words():
    text = indicator_statement(
        row(status="too_slow", direction_sign=-1, slope=-0.2), "Utsläpp av växthusgaser"
    )
    assert text == "Utsläpp av växthusgaser minskar för långsamt för målet 2030."


def test_direction_only_indicators_do_not_mention_a_target():
    text = indicator_statement(
        row(status="on_track", target_type="direction", target_year=math.nan), "Nystartade företag"
    )
    assert text == "Nystartade företag ökar i önskad takt."


def test_insufficient_data_says_so_and_why_and_nothing_else():
    # No baseline value in the row: that is the reason, and no rank or trend is claimed.
    text = indicator_statement(row(status="insufficient_data", rank_among_lan=21), LABEL)
    assert text == (
        "Behörighet till gymnasiet: otillräckliga data för en bedömning"
        " – inget värde för basåret 2017–2020."
    )
    given = indicator_statement(row(status="insufficient_data"), LABEL, "värden bara för riket")
    assert given.endswith("otillräckliga data för en bedömning – värden bara för riket.")


def test_rank_last_among_21_lan_reads_sämst_i_riket():
    text = indicator_statement(row(status="too_slow", rank_among_lan=21), LABEL)
    assert "; sämst i riket" in text


def test_rank_is_not_claimed_for_a_kommun_or_with_few_lan():
    assert "riket" not in indicator_statement(
        row(rank_among_lan=1, geography_level="kommun"), LABEL
    )
    assert "riket" not in indicator_statement(row(rank_among_lan=1, lan_ranked=5), LABEL)


def test_a_good_status_with_widening_gaps_gets_a_but():
    text = indicator_statement(
        row(status="on_track", sex_gap_trend="widening", kommun_spread_trend="widening"), LABEL
    )
    assert text.endswith(
        ", men skillnaden mellan kvinnor och män ökar och skillnaderna inom länet ökar."
    )


def test_a_verdict_that_already_says_men_joins_widening_gaps_with_och():
    """One "men" per sentence: "ligger före …, men försprånget krymper, och skillnaderna …"."""
    text = indicator_statement(
        row(
            status="target_met_worsening",
            target_type="peer",
            kommun_spread_trend="widening",
        ),
        LABEL,
    )
    assert text.count(" men ") == 1, text
    assert ", och skillnaderna inom länet ökar" in text, text


def test_low_confidence_and_synthetic_inputs_are_said():
    text = indicator_statement(row(low_confidence=True, is_synthetic=True), LABEL)
    assert text.endswith("(osäker bedömning: få värden sedan basåret; bygger på syntetiska data)")


def test_a_focus_effort_summary_counts_statuses_and_names_the_worst():
    labels = {"a": "Andel a", "b": "Andelen b", "c": "BRP c", "d": "Andel d"}
    rows = [
        row(indicator_id="a", status="on_track", score=3.0),
        row(indicator_id="b", status="wrong_direction", score=-4.0),
        row(indicator_id="c", status="too_slow", score=-1.0, sex_gap_trend="widening"),
        row(indicator_id="d", status="insufficient_data", score=math.nan),
    ]
    text = focus_effort_summary("Ökad inkludering", rows, labels, 2022)
    assert text.startswith(
        "Ökad inkludering följs 2022 upp med 4 indikatorer för länet, varav 3 kan bedömas: "
        "1 i fas, 1 förbättras för långsamt, 1 går åt fel håll, 1 otillräckliga data."
    )
    assert "1 av 3 bedömda har nått målet eller är i eller nästan i fas." in text
    # The two lowest scores among those not on track: b (−4) then c (−1).
    assert "Störst utmaning: andelen b och BRP c." in text
    assert "För 1 av indikatorerna ökar skillnaderna" in text


def test_a_national_target_falling_behind_while_improving_says_the_gap_grows():
    # Higher is better, the value rose since the baseline but Riket rose faster: wrong direction
    # against the moving benchmark, not a falling value.
    text = indicator_statement(
        row(
            status="wrong_direction",
            target_type="national",
            benchmark="riket",
            value=70.5,
            baseline_value=70.0,
        ),
        "Invånare 25-44 år med eftergymnasial utbildning",
    )
    assert text == (
        "Invånare 25-44 år med eftergymnasial utbildning ökar, men avståndet till riket växer."
    )


SHARE = {"scale": "percent", "unit": "andel (%)", "measure": "intensive"}


def national(**kw):
    return row(
        target_type="national",
        benchmark="riket",
        assessment_year=2022,
        baseline_year_used=2017,
        rank_among_lan=None,
        **kw,
    )


def test_each_status_against_riket_says_what_the_distance_does():
    """A NATIONAL target asks whether the distance to Riket closes in time for Riket's level by
    2030; every status says that question's answer, never only how the value moved."""
    said = {
        status: indicator_statement(national(status=status, value=71.0, baseline_value=70.0), LABEL)
        for status in (
            "target_met",
            "target_met_worsening",
            "on_track",
            "nearly_on_track",
            "too_slow",
            "stagnating",
            "wrong_direction",
        )
    }
    s = LABEL
    assert said["target_met"] == f"{s} ligger i nivå med eller före riket."
    assert said["target_met_worsening"] == f"{s} ligger före riket, men försprånget krymper."
    assert said["on_track"] == (
        f"{s} närmar sig riket i den takt som krävs för att nå rikets nivå 2030."
    )
    assert said["too_slow"] == (
        f"{s} närmar sig riket, men för långsamt för att nå rikets nivå 2030."
    )
    assert said["stagnating"] == f"{s} ligger efter riket, och avståndet består."
    assert said["wrong_direction"] == f"{s} ökar, men avståndet till riket växer."
    assert len(set(said.values())) == len(said)
    # No second, developer-coded wording of the same thing ("(efter, avståndet ökar mot riket)").
    assert all("(" not in text for text in said.values())


def test_the_figures_behind_a_national_verdict_set_the_county_beside_riket_each_year():
    # Örebro län, N17461 (Gymnasieexamen inom fyra år), the published rows of 2022.
    text = indicator_statement(
        national(
            status="stagnating",
            value=73.09417,
            baseline_value=72.055573,
            benchmark_value=73.669561,
            benchmark_baseline_value=70.912811,
            short_term_status="stagnating_recent_setback",
        ),
        "Gymnasieexamen inom fyra år",
        meta=SHARE,
    )
    assert text == (
        "Gymnasieexamen inom fyra år ligger efter riket, och avståndet består; senaste året "
        "försämrades läget mot riket (73,1 % mot rikets 73,7 % 2022; 72,1 % mot 70,9 % 2017)."
    )


def test_a_share_changes_in_procentenheter_with_the_direction_in_words():
    # Örebro län, N03921 (youth unemployment, lower is better): 5.51 in 2017, 3.92 in 2022.
    text = indicator_statement(
        row(
            status="on_track",
            target_type="direction",
            target_year=math.nan,
            direction_sign=-1,
            value=3.922784,
            baseline_value=5.505553,
            assessment_year=2022,
            baseline_year_used=2017,
            rank_among_lan=None,
        ),
        "Ungdomsarbetslösheten",
        meta=SHARE,
    )
    assert text == (
        "Ungdomsarbetslösheten minskar i önskad takt "
        "(5,51 % 2017, 3,92 % 2022: minskade med 1,6 procentenheter)."
    )


def test_a_one_year_fall_after_five_still_years_is_said():
    # Örebro län, N15428 (Behörighet till gymnasiet): 81.9 in 2021, 78.6 in 2022.
    text = indicator_statement(
        row(
            status="stagnating",
            target_type="direction",
            target_year=math.nan,
            value=78.6,
            baseline_value=80.5,
            last_change=-3.3,
            short_term_status="stagnating_recent_setback",
            assessment_year=2022,
            baseline_year_used=2017,
            rank_among_lan=None,
        ),
        LABEL,
        meta=SHARE,
    )
    assert "; senaste året försämrades det (minskade med 3,3 procentenheter)" in text


SHARE = {"scale": "percent", "unit": "andel (%)"}


def _health(**kw):
    return row(
        target_type="direction",
        value=68.0,
        baseline_value=65.0,
        baseline_year_used=2017,
        assessment_year=2021,
        value_women=60.8,
        value_men=74.0,
        **kw,
    )


def test_a_gap_target_is_a_second_verdict_with_the_figures_it_reads():
    text = indicator_statement(
        _health(sex_gap_target_status="widening", sex_gap_trend="widening", sex_gap_slope=0.8),
        "Gott självskattat hälsotillstånd",
        meta=SHARE,
    )
    # The level's verdict first, unchanged; the gap's in a sentence of its own, with K, M and
    # the slope it is read from; "ökar" is said once, not also as a plain inequality.
    assert text.startswith("Gott självskattat hälsotillstånd ökar i önskad takt (65 % 2017")
    assert text.endswith(
        " Skillnaden mellan kvinnor och män: ökar – målet är att den ska minska "
        "(kvinnor 60,8 %, män 74 % 2021; +0,8 procentenheter per år)."
    )
    assert text.count("skillnaden mellan kvinnor och män ökar") == 0


def test_a_gap_inside_the_noise_band_says_why_it_counts_as_unchanged():
    text = indicator_statement(
        _health(sex_gap_target_status="not_narrowing", sex_gap_slope=-0.2),
        "Gott självskattat hälsotillstånd",
        meta=SHARE,
    )
    assert "oförändrad – målet är att den ska minska" in text
    assert "−0,2 procentenheter per år, inom de vanliga svängningarna" in text


def test_an_unassessable_level_still_gets_its_gap_verdict():
    text = indicator_statement(
        _health(status="insufficient_data", sex_gap_target_status="narrowing", sex_gap_slope=-0.5),
        "Gott självskattat hälsotillstånd",
        reason="inget värde för basåret 2017",
        meta=SHARE,
    )
    assert text.startswith("Gott självskattat hälsotillstånd: otillräckliga data")
    assert "Skillnaden mellan kvinnor och män: minskar, som målet säger" in text
