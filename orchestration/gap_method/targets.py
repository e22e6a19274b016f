"""The series side of the gap method on a cube, one step per section of docs/method.md: what the
catalogue says of each series (§1 inputs, §6.0 totals), its related series (Riket, women and
men, the peer län), the assessed series A (§2; |K − M| for GAP, §3), the baseline b (§2
"Baseline") and the target level T per series × year (§3 "Target types").

Every step works on whole series × year matrices; :func:`orchestration.gap_method.rows.row_values`
then picks what each output row reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.gap_method import comparisons as cmp
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube

NAN = float("nan")


@dataclass(frozen=True)
class SeriesFacts:
    """What the catalogue and the geographies say of each series (one element per series)."""

    target_type: np.ndarray  # the catalogue's target_type (object)
    d_value: np.ndarray  # the catalogue's d: +1 higher is better, −1 lower is better
    target_value: np.ndarray  # NaN without one; exactly 0 → ``zero_target`` (§3)
    target_year: np.ndarray  # Y: the catalogue's, else ``cfg.target_year``
    min_detectable_change: np.ndarray  # the noise band's floor (§4.2)
    catalogue_year: np.ndarray  # the catalogue's baseline year (int64)
    natural_min: np.ndarray
    natural_max: np.ndarray
    is_riket: np.ndarray
    is_lan: np.ndarray
    is_kommun: np.ndarray
    comparable: np.ndarray  # not a total: ranked, spread and set against other geographies
    narrow_sex_gap: np.ndarray  # the catalogue's sex_gap_target is 'decrease' (§6.3)


def series_facts(cube: Cube, cfg: GapMethodConfig) -> SeriesFacts:
    """docs/method.md §1 (inputs) and §6.0 (totals): the catalogue's fields of each series, with
    the defaults of §4.4 (target year, noise floor) and the zero-target rule of §3."""
    s = cube.series
    target_value = s["target_value"].to_numpy(float)
    mdc = s["min_detectable_change"].to_numpy(float)
    level = s["level"].to_numpy(object)
    riket = cube.code("geography", cfg.national_geography_code)
    return SeriesFacts(
        target_type=s["target_type"].to_numpy(object),
        d_value=s["direction_sign"].to_numpy(float),
        target_value=np.where(target_value == 0, cfg.zero_target, target_value),
        target_year=s["target_year"].fillna(cfg.target_year).to_numpy(float),
        min_detectable_change=np.where(np.isnan(mdc), cfg.default_min_detectable_change, mdc),
        catalogue_year=s["baseline_year"].to_numpy(np.int64),
        natural_min=s["natural_min"].to_numpy(float),
        natural_max=s["natural_max"].to_numpy(float),
        is_riket=cube.series_keys[1] == riket,
        is_lan=level == "lan",
        is_kommun=level == "kommun",
        # A total grows with the geography: never ranked, spread or set against another one.
        comparable=s["measure"].to_numpy(object) != "total",
        narrow_sex_gap=s["sex_gap_target"].to_numpy(object) == "decrease",
    )


@dataclass(frozen=True)
class Related:
    """The series each series is compared with, as series × year matrices (NaN where none)."""

    national: np.ndarray  # Riket's value (NaN on Riket's own series)
    national_synthetic: np.ndarray
    women: np.ndarray  # K of the same indicator and geography
    men: np.ndarray  # M
    women_men_synthetic: np.ndarray  # K or M synthetic
    peers: np.ndarray  # the peer län's mean (§3 ``peer``)
    peers_synthetic: np.ndarray
    lan: np.ndarray  # the series of the geography's län (same indicator and sex), −1 where none


def related_series(cube: Cube, facts: SeriesFacts, cfg: GapMethodConfig) -> Related:
    """docs/method.md §2 (K, M, B_t) and §6: Riket's series, the women's and men's series of the
    same geography, the peer mean and the län's series, looked up by key code."""
    ind_code, geo_code, sex_code = cube.series_keys
    riket = cube.code("geography", cfg.national_geography_code)
    national = np.where(facts.is_riket, -1, cube.lookup(ind_code, riket, sex_code))
    women = cube.lookup(ind_code, geo_code, cube.code("sex", "K"))
    men = cube.lookup(ind_code, geo_code, cube.code("sex", "M"))
    lan = cube.lookup(ind_code, cube.code("geography", cube.series["lan_code"]), sex_code)
    values, synthetic = cube.values, cube.synthetic
    peers, peers_synthetic = cmp.peer_mean(cube, cfg)
    return Related(
        national=Cube.take(values, national),
        national_synthetic=Cube.take(synthetic, national),
        women=Cube.take(values, women),
        men=Cube.take(values, men),
        women_men_synthetic=Cube.take(synthetic, women) | Cube.take(synthetic, men),
        peers=peers,
        peers_synthetic=peers_synthetic,
        lan=lan,
    )


@dataclass(frozen=True)
class Assessed:
    """The assessed series A of each series (§2) and its direction."""

    is_gap: np.ndarray  # a GAP indicator: A = |K − M|
    values: np.ndarray  # A, series × year
    synthetic: np.ndarray
    d: np.ndarray  # the direction of A: −1 for |K − M|, else the catalogue's d
    sex_gap: np.ndarray  # |K − M| of every series (§6.3 reads its trend)


def assessed_series(cube: Cube, facts: SeriesFacts, related: Related) -> Assessed:
    """docs/method.md §2 (A) and §3 (``gap``): GAP indicators are judged on |K − M| of their
    geography, lower is better; every other type on the value itself."""
    is_gap = facts.target_type == "gap"
    sex_gap = np.abs(related.women - related.men)
    return Assessed(
        is_gap=is_gap,
        values=np.where(is_gap[:, None], sex_gap, cube.values),
        synthetic=np.where(is_gap[:, None], related.women_men_synthetic, cube.synthetic),
        d=np.where(is_gap, -1.0, facts.d_value),
        sex_gap=sex_gap,
    )


@dataclass(frozen=True)
class Baseline:
    """The baseline b of each series (§2)."""

    col: np.ndarray  # the year column of b; −1 without a baseline
    value: np.ndarray  # x_b, the assessed series in b (NaN without)
    synthetic: np.ndarray  # x_b is synthetic
    catalogue_col: np.ndarray  # the column of the catalogue's baseline year (may be outside)


def baseline_columns(
    assessed: np.ndarray, catalogue_col: np.ndarray, cap_col: np.ndarray
) -> np.ndarray:
    """The baseline column per series: the catalogue's baseline year when it has a value, else
    the first later year with one up to the fallback year; −1 where there is none."""
    n_series, n_years = assessed.shape
    cols = np.arange(n_years)[None, :]
    present = ~np.isnan(assessed)
    inside = (catalogue_col >= 0) & (catalogue_col < n_years)
    exact = inside & present[np.arange(n_series), np.clip(catalogue_col, 0, n_years - 1)]
    later = present & (cols > catalogue_col[:, None]) & (cols <= cap_col[:, None])
    has_later = later.any(axis=1)
    return np.where(exact, catalogue_col, np.where(has_later, np.argmax(later, axis=1), -1))


def baseline(
    assessed: Assessed, facts: SeriesFacts, years: np.ndarray, cfg: GapMethodConfig
) -> Baseline:
    """docs/method.md §2 "Baseline": the catalogue's baseline year when A has a value then,
    else the first later year with one up to max(catalogue year, ``latest_fallback_baseline_year``),
    else none. A RELATIVE target is a change from its baseline year's level ("−50 % against
    2005"), so it never falls back: without a value that year it has no baseline."""
    first = int(years[0])
    catalogue_col = facts.catalogue_year - first
    fallback = np.maximum(facts.catalogue_year, cfg.latest_fallback_baseline_year)
    cap_col = np.where(facts.target_type == "relative", facts.catalogue_year, fallback) - first
    col = baseline_columns(assessed.values, catalogue_col, cap_col)
    has_b = col >= 0
    at_b = (np.arange(len(col)), np.maximum(col, 0))
    return Baseline(
        col=col,
        value=np.where(has_b, assessed.values[at_b], NAN),
        synthetic=has_b & assessed.synthetic[at_b],
        catalogue_col=catalogue_col,
    )


@dataclass(frozen=True)
class Targets:
    """The target of each series (§3): its kind, and the level T per series × year."""

    is_peer: np.ndarray  # benchmark = the peer mean (else Riket)
    moving: np.ndarray  # NATIONAL (not Riket's own row) or PEER: T_t = B_t
    is_target: np.ndarray  # a numeric target (§5.1): moving, or a value for absolute/relative/gap
    is_maintain: np.ndarray  # MAINTAIN (§5.3)
    uses_target: np.ndarray  # numeric or MAINTAIN: T is read
    benchmark: np.ndarray  # B_t: Riket's value, or the peer mean for PEER (series × year)
    benchmark_synthetic: np.ndarray
    level: np.ndarray  # T_t (NaN without a target; 0 → ``zero_target``)
    distance: np.ndarray  # D_t = d·(A_t − T_t), ≥ 0 when met
    distance_b: np.ndarray  # D in the baseline year (NaN without a baseline)


def constant_target(
    target_type: np.ndarray, target_value: np.ndarray, x_b: np.ndarray
) -> np.ndarray:
    """docs/method.md §3, the fixed levels: ``absolute`` and ``gap`` T = target_value;
    ``relative`` T = x_b·(1 + target_value/100); ``maintain`` target_value, else x_b; NaN for
    the other types."""
    return np.select(
        [
            target_type == "absolute",
            target_type == "relative",
            target_type == "maintain",
            target_type == "gap",
        ],
        [
            target_value,
            x_b * (1 + target_value / 100),
            np.where(np.isfinite(target_value), target_value, x_b),
            target_value,
        ],
        default=NAN,
    )


def target_levels(
    facts: SeriesFacts,
    assessed: Assessed,
    related: Related,
    base: Baseline,
    cfg: GapMethodConfig,
) -> Targets:
    """docs/method.md §3 "Target types": T is constant (:func:`constant_target`) or the moving
    benchmark B_t (NATIONAL: Riket, PEER: the peer mean). Riket's own NATIONAL row and an
    absolute/relative/gap indicator without a value fall back to the direction rule (no T); a
    level of exactly 0 becomes ``zero_target``."""
    ttype = facts.target_type
    is_peer = ttype == "peer"
    benchmark = np.where(is_peer[:, None], related.peers, related.national)
    moving = ((ttype == "national") & ~facts.is_riket) | is_peer
    is_maintain = ttype == "maintain"
    with_value = np.isin(ttype, ["absolute", "relative", "gap"]) & np.isfinite(facts.target_value)
    is_target = moving | with_value
    uses_target = is_target | is_maintain
    constant = constant_target(ttype, facts.target_value, base.value)
    level = np.where(moving[:, None], benchmark, constant[:, None])
    level = np.where(uses_target[:, None], level, NAN)
    level = np.where(level == 0, cfg.zero_target, level)
    distance = assessed.d[:, None] * (assessed.values - level)
    at_b = (np.arange(len(base.col)), np.maximum(base.col, 0))
    return Targets(
        is_peer=is_peer,
        moving=moving,
        is_target=is_target,
        is_maintain=is_maintain,
        uses_target=uses_target,
        benchmark=benchmark,
        benchmark_synthetic=np.where(
            is_peer[:, None], related.peers_synthetic, related.national_synthetic
        ),
        level=level,
        distance=distance,
        distance_b=np.where(base.col >= 0, distance[at_b], NAN),
    )
