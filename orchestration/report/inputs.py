"""What the follow-up report reads from a publication, and the report's rows per indicator.

Read from the published DuckDB file (what passed every check), never from the working warehouse:
the strategy (``dim_strategy``) and its structure, the catalogue, the county's gap rows, the
values of Riket, every län and the county's kommuner, which geographies have values at all (to say
why an indicator without county values cannot be assessed), and the county's revised values.
No Dagster imports.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.gap_method.config import peers_of
from orchestration.gap_method.periods import applying
from orchestration.gap_method.series import status_across_series

LATEST_YEAR_COVERAGE = 0.7
# The seed the gap asset reads the region's comparable län from (seeds.rus_region_peers), for
# publications made before marts.dim_region_peer was published.
PEERS_SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "rus_region_peers.csv"


@dataclass(frozen=True)
class Strategy:
    """The strategy whose structure the publication follows (one row of ``dim_strategy``)."""

    title: str
    short_title: str
    owner: str
    owner_region_code: str
    period_end: int


@dataclass(frozen=True)
class ReportInputs:
    region_code: str
    region_name: str
    riket_code: str  # the national row of dim_geography
    publication_id: str
    published_at: str
    strategy: Strategy
    gaps: pd.DataFrame  # gap_indicator_annual for the county, sex T
    values: pd.DataFrame  # fct_indicator_value for Riket, every län and the county's kommuner
    coverage: pd.DataFrame  # per indicator × geography with a total (T): level, first year
    indicators: pd.DataFrame
    goals: pd.DataFrame
    focus_efforts: pd.DataFrame
    areas: pd.DataFrame
    geographies: pd.DataFrame
    revisions: pd.DataFrame  # mart_revisions for the county: old → new value, when first seen
    series_status: pd.DataFrame  # the county's one status per indicator across K and M (series.py)
    kommun_gaps: pd.DataFrame  # gap_indicator_annual for the county's kommuner, sex T
    kommun_places: pd.DataFrame  # the county's kommuner: place among all (KOMMUN_PLACES_SQL)
    peers: tuple[str, ...] = ()  # the county's comparable län (PEER targets; read_peers)


COVERAGE_SQL = """
select indicator_id, geography_code, min(year) as first_year
from fct_indicator_value
where sex = 'T' and value is not null
group by indicator_id, geography_code
"""


# Each kommun's place among all kommuner with a value (sex T, 1 = best in the desired
# direction, ties share the best place), per indicator and year; kept for the county's kommuner.
# Totals are not placed: a kommun's tonnes or hectares against another's measure its size.
KOMMUN_PLACES_SQL = """
select indicator_id, geography_code, year, place, ranked
from (
    select
        v.indicator_id,
        v.geography_code,
        v.year,
        rank() over (
            partition by v.indicator_id, v.year order by v.value * i.direction_sign desc
        ) as place,
        count(*) over (partition by v.indicator_id, v.year) as ranked
    from fct_indicator_value as v
    inner join dim_geography as g on v.geography_code = g.geography_code
    inner join dim_indicator as i on v.indicator_id = i.indicator_id
    where g.level = 'kommun' and v.sex = 'T' and v.value is not null
        and i.measure = 'intensive'
) as ranked_kommuner
where geography_code in (select geography_code from dim_geography where lan_code = ?)
"""


def _strategy(con: duckdb.DuckDBPyConnection) -> Strategy:
    try:
        rows = con.execute(
            "select title, short_title, owner, owner_region_code, period_end from dim_strategy"
        ).fetchall()
    except duckdb.CatalogException as exc:
        raise ValueError(
            "the publication has no dim_strategy (published before the strategy was "
            "configuration); publish again with `make run`"
        ) from exc
    if len(rows) != 1:
        raise ValueError(f"dim_strategy has {len(rows)} rows in the publication; expected one")
    title, short_title, owner, owner_region_code, period_end = rows[0]
    return Strategy(title, short_title, owner, owner_region_code, int(period_end))


def read_peers(
    con: duckdb.DuckDBPyConnection, region_code: str, seed: Path = PEERS_SEED
) -> tuple[str, ...]:
    """The county's comparable län, the peers of its PEER targets: the publication's
    ``dim_region_peer``; for a publication made before it was published, the seed the gap asset
    read them from. The report names them only where their values give the peer mean the gap
    rows were judged against (:func:`orchestration.report.peers.compare_with_peers`)."""
    try:
        pairs = con.execute("select region_code, peer_region_code from dim_region_peer").fetchall()
    except duckdb.Error:
        if not seed.is_file():
            return ()
        with seed.open(newline="", encoding="utf-8") as f:
            pairs = [(r["region_code"], r["peer_region_code"]) for r in csv.DictReader(f)]
    return peers_of(region_code, [(str(a), str(b)) for a, b in pairs])


def load_inputs(published: Path, region_code: str) -> ReportInputs:
    """Everything the report needs from the published DuckDB file."""
    if not published.is_file():
        raise FileNotFoundError(
            f"{published} does not exist; expected a published DuckDB file (run `make run` first)"
        )
    con = duckdb.connect(str(published), read_only=True)
    try:
        return _read_inputs(con, region_code)
    finally:
        con.close()


def _county_and_riket(geographies: pd.DataFrame, region_code: str) -> tuple[pd.Series, str]:
    """The county's row of dim_geography and Riket's code (the geography seed's one national
    row); an error names what the publication lacks."""
    county = geographies[geographies["geography_code"] == region_code]
    if county.empty or county.iloc[0]["level"] != "lan":
        raise ValueError(f"region {region_code!r} is not a län in dim_geography")
    riket = geographies.loc[geographies["level"].eq("riket"), "geography_code"]
    if len(riket) != 1:
        raise ValueError(f"dim_geography has {len(riket)} rows of level 'riket'; expected one")
    return county.iloc[0], str(riket.iloc[0])


def _read_inputs(con: duckdb.DuckDBPyConnection, region_code: str) -> ReportInputs:
    geographies = con.execute("select * from dim_geography").df()
    county, riket_code = _county_and_riket(geographies, region_code)
    kommuner = geographies.loc[geographies["lan_code"].eq(region_code), "geography_code"]
    lan = geographies.loc[geographies["level"].eq("lan"), "geography_code"]
    codes = sorted({riket_code, *lan, *kommuner})  # Riket, every län, the county's kommuner
    placeholders = ", ".join("?" for _ in codes)
    publication_id, published_at = con.execute(
        "select publication_id, published_at::varchar from publications"
    ).fetchone()

    def county_rows(sql: str) -> pd.DataFrame:
        return con.execute(sql, [region_code]).df()

    return ReportInputs(
        region_code=region_code,
        region_name=str(county["geography_name"]),
        riket_code=riket_code,
        publication_id=publication_id,
        published_at=published_at,
        strategy=_strategy(con),
        gaps=county_rows(
            "select * from gap_indicator_annual where geography_code = ? and sex = 'T'"
        ),
        values=con.execute(
            "select indicator_id, geography_code, year, sex, value, is_synthetic "
            f"from fct_indicator_value where geography_code in ({placeholders})",
            codes,
        ).df(),
        coverage=con.execute(COVERAGE_SQL)
        .df()
        .merge(geographies[["geography_code", "level", "lan_code"]], on="geography_code"),
        indicators=con.execute("select * from dim_indicator").df(),
        goals=con.execute("select * from dim_goal order by goal_id").df(),
        focus_efforts=con.execute(
            "select * from dim_focus_effort order by focus_effort_number"
        ).df(),
        areas=con.execute("select * from dim_rus_area order by area_number").df(),
        geographies=geographies,
        series_status=status_across_series(
            county_rows(
                "select indicator_id, geography_code, assessment_year, sex, status, score "
                "from gap_indicator_annual where geography_code = ?"
            )
        ),
        kommun_gaps=county_rows(
            "select * from gap_indicator_annual where sex = 'T' and geography_code in "
            "(select geography_code from dim_geography where lan_code = ? "
            "and level = 'kommun')"
        ),
        kommun_places=county_rows(KOMMUN_PLACES_SQL),
        revisions=county_rows(
            "select indicator_id, year, sex, old_value, new_value, is_deleted, "
            "first_seen_at::varchar as first_seen_at from mart_revisions "
            "where geography_code = ?"
        ),
        peers=read_peers(con, region_code),
    )


def latest_year(values: pd.DataFrame, region_code: str) -> int:
    """The latest year in which at least 70 % as many indicators have a county value as in the
    best-covered year (later years hold only the first few early releases)."""
    county = values[(values["geography_code"] == region_code) & (values["sex"] == "T")]
    per_year = county.dropna(subset=["value"]).groupby("year")["indicator_id"].nunique()
    if per_year.empty:
        raise ValueError(f"no values for region {region_code} in the publication")
    return int(per_year[per_year >= LATEST_YEAR_COVERAGE * per_year.max()].index.max())


def linked(indicators: pd.DataFrame, column: str, group_id: str) -> list[str]:
    """The indicators whose ``column`` (';'-separated ids) holds ``group_id``, sorted."""
    ids = indicators[column].fillna("").str.split(";").map(lambda xs: group_id in xs)
    return sorted(indicators.loc[ids, "indicator_id"])


def current_rows(gaps: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per indicator, the newest assessment up to ``year`` (its data-as-of year)."""
    upto = gaps[gaps["assessment_year"] <= year]
    idx = upto.groupby("indicator_id")["assessment_year"].idxmax()
    return upto.loc[idx].set_index("indicator_id")


def in_force(inputs: ReportInputs, year: int) -> ReportInputs:
    """The inputs as the report of ``year`` reads them: only the kraftsamlingar that apply that
    year (``dim_focus_effort.applies_from``/``applies_to``; docs/method.md §7)."""
    efforts = inputs.focus_efforts
    applies = applying(efforts, "focus_effort_id", year)
    return replace(inputs, focus_efforts=efforts[applies].reset_index(drop=True))
