"""A small publication for the report's tests: two indicators for Riket, two län and their
kommuner, the strategy's structure, and its gap rows (``publish_small``)."""

from __future__ import annotations

import duckdb
import pandas as pd

from orchestration.gap_method import GapMethodConfig, assess_indicators

KOMMUNER = ["1880", "1881", "1882"]


YEARS = range(2015, 2024)


def values_frame(revise: float | None = None) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        t = year - 2015
        for geo, base in [
            ("0000", 50.0),
            ("0018", 48.0),
            ("1880", 52.0),
            ("1881", 45.0),
            ("1882", 40.0),
        ]:
            # share_a rises 1 point a year; share_b falls 0.5 a year (lower is better).
            rows.append(("share_a", geo, year, "T", base + t, True))
            rows.append(("share_a", geo, year, "K", base + t + 2, True))
            rows.append(("share_a", geo, year, "M", base + t - 2, True))
            rows.append(("share_b", geo, year, "T", 30.0 - 0.5 * t + (geo == "1882") * 5, False))
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "geography_code", "year", "sex", "value", "is_synthetic"]
    )
    if revise is not None:
        # A revision of the county's 2021 and 2022 values of share_b upwards (worse).
        mask = (
            (frame.indicator_id == "share_b")
            & (frame.geography_code == "0018")
            & (frame.year.isin([2021, 2022]))
        )
        frame.loc[mask, "value"] = revise
    return frame


INDICATORS = pd.DataFrame(
    [
        {
            "indicator_id": "share_a",
            "source": "kolada",
            "source_series_id": "N00001",
            "title": "Andel a, %",
            "short_label": "Andel a",
            "unit": "andel (%)",
            "scale": "percent",
            "measure": "intensive",
            "comparison_indicator_id": None,
            "desired_direction": "increase",
            "direction_sign": 1,
            "target_type": "absolute",
            "target_value": 70.0,
            "target_year": 2030,
            "baseline_year": 2017,
            "has_sex_split": True,
            "geography_levels": "riket;lan;kommun",
            "natural_min": 0.0,
            "natural_max": 100.0,
            "area_ids": "A01",
            "focus_effort_ids": "K1",
            "goal_ids": "G1",
        },
        {
            "indicator_id": "share_b",
            "source": "scb",
            "source_series_id": "TAB1",
            "title": "Andel b, %",
            "short_label": "Andel b",
            "unit": "andel (%)",
            "scale": "percent",
            "measure": "intensive",
            "comparison_indicator_id": None,
            "desired_direction": "decrease",
            "direction_sign": -1,
            "target_type": "direction",
            "target_value": None,
            "target_year": 2030,
            "baseline_year": 2017,
            "has_sex_split": False,
            "geography_levels": "riket;lan;kommun",
            "natural_min": 0.0,
            "natural_max": 100.0,
            "area_ids": "A01",
            "focus_effort_ids": "K2",
            "goal_ids": "G1",
        },
    ]
)


STRATEGY = pd.DataFrame(
    {
        "strategy_id": ["rus_test"],
        "title": ["Regional utvecklingsstrategi för Örebro län 2018–2030"],
        "short_title": ["RUS 2018–2030"],
        "owner": ["Region Örebro län"],
        "owner_region_code": ["0018"],
        "period_start": [2018],
        "period_end": [2030],
        "source": ["Vägvisare till framtiden"],
    }
)


GEOGRAPHIES = pd.DataFrame(
    {
        "geography_code": ["0000", "0018", *KOMMUNER, "0020", "2080", "2081", "2062"],
        "geography_name": [
            *("Riket", "Örebro län", "Örebro", "Kumla", "Askersund"),
            *("Dalarnas län", "Falun", "Borlänge", "Mora"),
        ],
        "level": [
            "riket",
            "lan",
            "kommun",
            "kommun",
            "kommun",
            "lan",
            "kommun",
            "kommun",
            "kommun",
        ],
        "lan_code": [None, "0018", "0018", "0018", "0018", "0020", "0020", "0020", "0020"],
    }
)


REVISIONS_COLUMNS = [
    "indicator_id",
    "geography_code",
    "year",
    "sex",
    "old_value",
    "new_value",
    "is_deleted",
    "first_seen_at",
]


def revisions_of(before: pd.DataFrame, after: pd.DataFrame, seen: str) -> pd.DataFrame:
    """mart_revisions between two value frames, as first seen at ``seen``."""
    key = ["indicator_id", "geography_code", "year", "sex"]
    both = before.merge(after, on=key, suffixes=("_old", "_new"))
    changed = both[both.value_old != both.value_new]
    return pd.DataFrame(
        {
            **{k: changed[k] for k in key},
            "old_value": changed.value_old,
            "new_value": changed.value_new,
            "is_deleted": False,
            "first_seen_at": pd.Timestamp(seen),
        }
    )[REVISIONS_COLUMNS]


def strategy_tables(
    desired_state: str, guiding_questions: tuple[str, str, str]
) -> dict[str, pd.DataFrame]:
    """The strategy's structure as the publication holds it: kraftsamlingar, goals, one area."""
    return {
        "dim_focus_effort": pd.DataFrame(
            {
                "focus_effort_id": ["K1", "K2", "K3"],
                "focus_effort_number": [1, 2, 3],
                "focus_effort_name": ["Ökad inkludering", "Starka barn och unga", "Omställning"],
                "guiding_question": list(guiding_questions),
            }
        ),
        "dim_goal": pd.DataFrame({"goal_id": ["G1", "G2", "G3"], "goal_name": ["a", "b", "c"]}),
        "dim_rus_area": pd.DataFrame(
            {
                "area_id": ["A01"],
                "area_number": [1],
                "area_name": ["Näringsliv och entreprenörskap"],
                "desired_state_2030": [desired_state],
            }
        ),
    }


def publish_small(
    path,
    values: pd.DataFrame,
    publication_id: str = "P1",
    indicators=INDICATORS,
    revisions: pd.DataFrame | None = None,
    published_at: str = "2026-11-23 02:00:00",
    geographies: pd.DataFrame = GEOGRAPHIES,
    desired_state: str = "Ett starkt näringsliv.",
    guiding_questions: tuple[str, str, str] = ("Hur?", "Vad?", "När?"),
    peers: tuple[str, ...] | None = None,
) -> None:
    """A publication of ``values`` with its gap rows: Riket, two län and their kommuner.
    ``peers``: the county's comparable län, assessed with and published as
    ``dim_region_peer`` (default: none assessed, no table)."""
    config = GapMethodConfig(peer_geography_codes=peers or ())
    gaps = assess_indicators(
        values,
        indicators,
        config,
        geographies=geographies[["geography_code", "level", "lan_code"]],
    )
    con = duckdb.connect(str(path))
    if peers is not None:
        con.execute(
            "create table dim_region_peer as select '0018' as region_code, "
            "unnest(?::varchar[]) as peer_region_code",
            [list(peers)],
        )
    tables = {
        "dim_geography": geographies,
        "fct_indicator_value": values,
        "dim_indicator": indicators,
        "gap_indicator_annual": gaps,
        "dim_strategy": STRATEGY,
        "mart_revisions": revisions
        if revisions is not None
        else pd.DataFrame({c: pd.Series(dtype=object) for c in REVISIONS_COLUMNS}),
        **strategy_tables(desired_state, guiding_questions),
    }
    for name, frame in tables.items():
        con.register("f", frame)
        con.execute(f"create or replace table {name} as select * from f")
        con.unregister("f")
    con.execute(
        "create or replace table publications as select ? as publication_id, "
        "cast(? as timestamp) as published_at",
        [publication_id, published_at],
    )
    con.close()
