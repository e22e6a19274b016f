"""The report's "Mål och kontrollstationer" from a small publication: every target with its
source, the kontrollstationer with hand-computed paths, and a peer target against four
comparable län (the publication: small_publication.py)."""

from __future__ import annotations

import math

import pandas as pd

from orchestration.report.report import load_inputs, write_report
from tests.unit.report.small_publication import (
    GEOGRAPHIES,
    INDICATORS,
    publish_small,
    values_frame,
)

PEERS = {
    "0006": ("Jönköpings län", 38.0, 1.0),  # name, value in 2015, change a year
    "0007": ("Kronobergs län", 39.0, 1.0),
    "0017": ("Värmlands län", 41.0, 0.8),
    "0019": ("Västmanlands län", 58.2, -0.5),
}


def with_sources(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators.assign(
        target_source=["national goal: 70 % by 2030 (a test source)", "direction only"]
    )


def test_a_fixed_target_is_stated_with_its_source_and_its_kontrollstationer(tmp_path):
    path = tmp_path / "rus.duckdb"
    publish_small(path, values_frame(), indicators=with_sources(INDICATORS))
    files = write_report(load_inputs(path, "0018"), 2022, tmp_path / "reports")
    md = files.markdown.read_text(encoding="utf-8")
    assert "## Mål och kontrollstationer" in md and "### Mål och källor" in md
    assert "| Andel a (%) | nivå att nå | minst 70 % | 2017 | 2030 | " in md
    assert "national goal: 70 % by 2030 (a test source) |" in md
    assert "Andel b (%) |" not in md.split("## Mål och kontrollstationer")[1].split("## Kommun")[0]
    # Share a: 50 % in 2017 to 70 % by 2030 at a constant rate: 50·1.4^(3/13) = 54.04 in 2020
    # (the county was at 53) and 50·1.4^(8/13) = 61.50 in 2025.
    row = next(r for r in md.splitlines() if r.startswith("| Andel a (%) | 2017: 50 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2:6] == ["minst 70 % år 2030", "54", "53", "61,5"]
    head = next(r for r in md.splitlines() if r.startswith("| Indikator | Basår | Mål |"))
    assert "Kontrollstation 2020: bana | Kontrollstation 2020: utfall | " in head
    assert "Kontrollstation 2025: bana | Status |" in head
    # The trend chart's path passes through the same kontrollstationer.
    trend = pd.read_csv(files.figures_dir / "share_a_trend.csv")
    path_2020 = trend[(trend.serie == "Målbana till 2030") & (trend.year == 2020)]["value"]
    assert math.isclose(float(path_2020.iloc[0]), 50 * 1.4 ** (3 / 13))
    html = files.html.read_text(encoding="utf-8")
    assert 'id="mal-och-kontrollstationer"' in html and 'class="checkpoints"' in html
    assert 'href="#mal-och-kontrollstationer"' in html  # in the table of contents


def test_without_targets_the_section_says_so(tmp_path):
    path = tmp_path / "rus.duckdb"
    indicators = INDICATORS.assign(target_type="direction", target_value=None)
    publish_small(path, values_frame(), indicators=indicators)
    md = write_report(load_inputs(path, "0018"), 2022, tmp_path / "r").markdown.read_text("utf-8")
    assert "Inga indikatorer har ett mål utöver en önskad riktning." in md
    assert "Kontrollstation 2020" not in md


def peer_publication(path, peers=tuple(PEERS)) -> None:
    """share_p: a peer target; the county rises 1 a year from 40, the peers as in PEERS."""
    geographies = pd.concat(
        [
            GEOGRAPHIES,
            pd.DataFrame(
                {
                    "geography_code": list(PEERS),
                    "geography_name": [p[0] for p in PEERS.values()],
                    "level": "lan",
                    "lan_code": list(PEERS),
                }
            ),
        ],
        ignore_index=True,
    )
    share_p = INDICATORS.iloc[[0]].assign(
        indicator_id="share_p",
        short_label="Andel p",
        title="Andel p, %",
        source_series_id="N00002",
        target_type="peer",
        target_value=None,
        has_sex_split=False,
    )
    indicators = pd.concat([INDICATORS, share_p], ignore_index=True)
    starts = {"0000": (45.0, 1.0), "0018": (40.0, 1.0)} | {c: p[1:] for c, p in PEERS.items()}
    rows = [
        ("share_p", code, year, "T", start + step * (year - 2015), False)
        for code, (start, step) in starts.items()
        for year in range(2015, 2024)
    ]
    values = pd.concat(
        [values_frame(), pd.DataFrame(rows, columns=values_frame().columns)], ignore_index=True
    )
    publish_small(path, values, indicators=indicators, geographies=geographies, peers=peers)


def test_a_peer_target_counts_the_peers_the_county_is_ahead_of(tmp_path):
    path = tmp_path / "rus.duckdb"
    peer_publication(path)
    inputs = load_inputs(path, "0018")
    assert inputs.peers == ("0006", "0007", "0017", "0019")
    md = write_report(inputs, 2022, tmp_path / "reports").markdown.read_text(encoding="utf-8")
    assert "### Jämförbara län" in md
    assert (
        "jämförs Örebro län med Jönköpings län, Kronobergs län, Värmlands län och "
        "Västmanlands län." in md
    )
    # 2022: the county 47 against 45, 46, 46.6 and 54.7: ahead of three; the mean 48.075, so
    # 1.075 behind, after 3.2 behind in 2017 (42 against 45.2): the distance closes.
    line = next(r for r in md.splitlines() if r.startswith("- Andel p (%) 2022:"))
    assert "Örebro län (47) ligger före 3 av 4 jämförbara län" in line
    assert (
        "Avståndet till deras medelvärde (48,1) var 3,2 procentenheter efter år 2017 och är "
        "1,1 procentenheter efter år 2022 – avståndet minskar."
    ) in line
    # The kontrollstation: 3.2 behind in 2017 closing to 0 by 2030 allows 3.2·10/13 = 2.46
    # behind in 2020 (3.2·5/13 = 1.23 in 2025); the county was 46.925 − 45 = 1.925 behind.
    row = next(r for r in md.splitlines() if r.startswith("| Andel p (%) | 2017:"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:6] == [
        "2017: 3,2 procentenheter efter",
        "minst de jämförbara länens medelvärde år 2030",
        "2,5 procentenheter efter",
        "1,9 procentenheter efter",
        "1,2 procentenheter efter",
    ]
    assert cells[6] == "i fas"  # closing 0.425 a year against 0.246 needed: R = 1.73


def test_too_few_peers_with_values_is_insufficient_data(tmp_path):
    path = tmp_path / "rus.duckdb"
    peer_publication(path, peers=("0006", "0007"))  # two peers: no peer mean (3 needed)
    md = write_report(load_inputs(path, "0018"), 2022, tmp_path / "r").markdown.read_text("utf-8")
    line = next(r for r in md.splitlines() if r.startswith("- Andel p 2022:"))
    assert line == (
        "- Andel p 2022: otillräckliga data för en jämförelse med jämförbara län – bara 2 "
        "jämförbara län är angivna för länet (minst 3 med ett värde behövs)."
    )


def test_the_peers_come_from_the_seed_when_the_publication_has_none(tmp_path):
    path = tmp_path / "rus.duckdb"
    publish_small(path, values_frame())
    assert load_inputs(path, "0018").peers == ("0006", "0007", "0017", "0019")
    assert load_inputs(path, "0020").peers == ()


def test_a_target_on_the_women_men_gap_is_reported_beside_the_levels_status(tmp_path):
    # share_a as a direction target whose women/men gap shall decrease: K = T + 2, M = T − 2,
    # so the gap stays at 4 points (2017–2022) while the level rises 1 point a year.
    path = tmp_path / "rus.duckdb"
    indicators = with_sources(INDICATORS).assign(
        target_type=["direction", "direction"],
        target_value=None,
        sex_gap_target=["decrease", None],
    )
    publish_small(path, values_frame(), indicators=indicators)
    md = write_report(load_inputs(path, "0018"), 2022, tmp_path / "r").markdown.read_text("utf-8")
    section = md.split("## Mål och kontrollstationer")[1]
    # The target as the catalogue states it: a direction and a smaller gap, with its source.
    assert (
        "| Andel a (%) | önskad riktning; skillnad mellan kvinnor och män | högre; mindre "
        "skillnad mellan kvinnor och män | 2017 | 2030 | national goal" in section
    )
    # Two verdicts side by side: the level's (1 point a year up: i fas) and the gap's.
    assert "### Skillnaden mellan kvinnor och män" in section
    assert (
        "| Andel a (%) | i fas | 57 % | 53 % | 0 procentenheter per år | "
        "oförändrad – målet är att den ska minska |" in section
    )
    # The statement says the same, once.
    assert "Skillnaden mellan kvinnor och män: oförändrad – målet är att den ska minska" in md
    assert "Andel b (%) |" not in section.split("## Kommun")[0]
