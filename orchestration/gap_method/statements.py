"""Swedish statements generated from the gap rows, in the style of the region's 2022 follow-up
("Andel med eftergymnasial utbildning ökar", "Utsläpp av växthusgaser minskar för långsamt",
"Lägst behörighet till gymnasiet i riket", "… men stora skillnader mellan kvinnor/män, inom
länet").

A statement is only as strong as its data: a status resting on 2–3 values says so, an unassessable
indicator says "otillräckliga data" and why (:mod:`.reasons`), and synthetic inputs are named.
Pure functions over plain mappings (one row of ``gap_indicator_annual``); no Dagster imports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

import pandas as pd

from orchestration.gap_method import changes as ch
from orchestration.gap_method.labels import (
    INSUFFICIENT,
    ON_COURSE,
    SEX_GAP_TARGET_LABELS,
    STATUS,
    STATUSES,
)
from orchestration.gap_method.periods import applying
from orchestration.gap_method.reasons import insufficient_reason


def _num(row: Mapping[str, Any], key: str) -> float | None:
    v = row.get(key)
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def in_sentence(label: str) -> str:
    """A catalogue short label inside a sentence: its first letter lower-cased, unless it opens
    with an abbreviation ("BRP per invånare" stays)."""
    if label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _verb(row: Mapping[str, Any]) -> str:
    """ökar / minskar: how the value moved since the baseline, which is what the status reads
    (docs/method.md §5). Without a baseline, the direction the status implies."""
    value, base = _num(row, "value"), _num(row, "baseline_value")
    change = value - base if value is not None and base is not None else None
    if row.get("assessed_series") == "gap_women_men":
        change = None  # the status reads |K − M|, not the value: say what the status says
    d = _num(row, "direction_sign") or 1.0
    if change is None or change == 0:
        change = -d if row.get("status") == "wrong_direction" else d
    return "ökar" if change > 0 else "minskar"


def _benchmark_name(row: Mapping[str, Any]) -> str:
    return "jämförbara län" if row.get("benchmark") == "peers" else "riket"


def _desired(verb: str, row: Mapping[str, Any]) -> bool:
    """Whether ``verb`` (ökar/minskar) is the desired direction."""
    return (verb == "ökar") == ((_num(row, "direction_sign") or 1.0) > 0)


def _phrase(row: Mapping[str, Any], target_type: str, **words: str) -> str:
    """The status's phrase for ``target_type`` (labels.STATUSES) with ``words`` filled in; an
    unknown status: just the verb."""
    status = STATUS.get(str(row.get("status")))
    template = getattr(status, target_type) if status else "{verb}"
    return template.format(**words)


def _moving_words(row: Mapping[str, Any], goal: str, verb: str) -> dict[str, str]:
    """NATIONAL / PEER: the status reads whether the distance to the benchmark closes in time
    for its level by the target year (docs/method.md §3.1), and the words say so."""
    other = _benchmark_name(row)
    level = f"{'rikets' if other == 'riket' else 'de jämförbara länens'} nivå {goal}"
    return {"other": other, "level": level, "but_and": "men" if _desired(verb, row) else "och"}


def _predicate(row: Mapping[str, Any]) -> str:
    """What happens, in the 2022 follow-up's words: "ökar", "minskar för långsamt", …"""
    year = row.get("target_year")
    goal = f"{int(year)}" if year is not None and not _isnan(year) else ""
    verb = _verb(row)
    if row.get("target_type") == "direction":
        return _phrase(row, "direction", verb=verb)
    if row.get("target_type") in ("national", "peer"):
        return _phrase(row, "moving", verb=verb, **_moving_words(row, goal or "2030", verb))
    return _phrase(row, "fixed", verb=verb, goal=f"målet {goal}" if goal else "målet")


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _year_of(row: Mapping[str, Any], key: str) -> str:
    v = _num(row, key)
    return str(int(v)) if v is not None else ""


def figures(row: Mapping[str, Any], meta: Mapping[str, Any]) -> str | None:
    """The figures behind the verdict, in words: the value then and now and the change, and for
    a moving target the benchmark beside each ("73,1 % mot rikets 73,7 % 2022")."""
    if not meta:
        return None
    t, b = _year_of(row, "assessment_year"), _year_of(row, "baseline_year_used")
    now, then = row.get("value"), row.get("baseline_value")
    if row.get("assessed_series") == "gap_women_men" or _num(row, "value") is None:
        return None
    if row.get("target_type") in ("national", "peer") and _num(row, "benchmark_value") is not None:
        whose = "rikets" if row.get("benchmark") != "peers" else "de jämförbara länens"
        text = f"{ch.level(now, meta)} mot {whose} {ch.level(row.get('benchmark_value'), meta)} {t}"
        base_bench = _num(row, "benchmark_baseline_value")
        if b and b != t and _num(row, "baseline_value") is not None and base_bench is not None:
            text += f"; {ch.level(then, meta)} mot {ch.level(base_bench, meta)} {b}"
        return text
    if not b or b == t or _num(row, "baseline_value") is None:
        return f"{ch.level(now, meta)} {t}"
    text = f"{ch.level(then, meta)} {b}, {ch.level(now, meta)} {t}: {ch.change(then, now, meta)}"
    if row.get("target_type") in ("absolute", "relative") and _num(row, "target_level") is not None:
        text += f"; målet {ch.level(row.get('target_level'), meta)}"
    return text


def _recent(row: Mapping[str, Any], meta: Mapping[str, Any]) -> str | None:
    """The last year's move when the short-term view says it went against the five years before
    (docs/method.md §5.5): "senaste året försämrades det (minskade med 3,3 procentenheter)"."""
    code = str(row.get("short_term_status") or "")
    if not code.endswith(("_recent_setback", "_recent_improvement")):
        return None
    word = "försämrades" if code.endswith("setback") else "förbättrades"
    if row.get("target_type") in ("national", "peer"):
        return f"senaste året {word} läget mot {_benchmark_name(row)}"
    last = _num(row, "last_change")
    if last is None or not meta:
        return f"senaste året {word} det"
    value = _num(row, "value") or 0.0
    return f"senaste året {word} det ({ch.change(value - last, value, meta)})"


def _rank_phrase(row: Mapping[str, Any]) -> str | None:
    rank, ranked = _num(row, "rank_among_lan"), _num(row, "lan_ranked")
    if rank is None or ranked is None or ranked < 10 or row.get("geography_level") != "lan":
        return None
    if rank == 1:
        return "bäst i riket"
    if rank == ranked:
        return "sämst i riket"
    if rank <= 3:
        return f"bland de bästa länen (plats {int(rank)} av {int(ranked)})"
    if rank >= ranked - 2:
        return f"bland de svagaste länen (plats {int(rank)} av {int(ranked)})"
    return None


def _gap_targeted(row: Mapping[str, Any]) -> bool:
    code = row.get("sex_gap_target_status")
    return code is not None and not _isnan(code) and str(code) in SEX_GAP_TARGET_LABELS


def sex_gap_sentence(row: Mapping[str, Any], meta: Mapping[str, Any]) -> str | None:
    """The second verdict of an indicator whose women/men gap shall decrease (docs/method.md
    §6.3), with the figures it reads: "Skillnaden mellan kvinnor och män: ökar – målet är att den
    ska minska (kvinnor 60,8 %, män 74 % 2021; +0,8 procentenheter per år)." None without such a
    target."""
    if not _gap_targeted(row):
        return None
    code = str(row["sex_gap_target_status"])
    text = f"Skillnaden mellan kvinnor och män: {SEX_GAP_TARGET_LABELS[code]}"
    shown = []
    if _num(row, "value_women") is not None and _num(row, "value_men") is not None:
        women, men = ch.level(row["value_women"], meta), ch.level(row["value_men"], meta)
        shown.append(f"kvinnor {women}, män {men} {_year_of(row, 'assessment_year')}")
    slope = _num(row, "sex_gap_slope")
    if slope is not None:
        per_year = ch.per_year(slope, meta)
        if code == "not_narrowing":
            per_year += ", inom de vanliga svängningarna"
        shown.append(per_year)
    return text + (f" ({'; '.join(shown)})" if shown else "") + "."


def _inequality_phrases(row: Mapping[str, Any]) -> list[str]:
    """Inequalities worth a word; the women/men gap only where it has no target of its own
    (then :func:`sex_gap_sentence` says it)."""
    out = []
    sex_trend = row.get("sex_gap_trend")
    unequal = row.get("sex_parity_equal") is False or row.get("sex_parity_equal") == 0
    if _gap_targeted(row):
        pass
    elif sex_trend == "widening":
        out.append("skillnaden mellan kvinnor och män ökar")
    elif unequal and (_num(row, "sex_parity") or 1.0) >= 1.2:
        out.append("stora skillnader mellan kvinnor och män")
    if row.get("kommun_spread_trend") == "widening":
        out.append("skillnaderna inom länet ökar")
    elif (_num(row, "kommun_best_worst_ratio") or 1.0) >= 2.0:
        out.append("stora skillnader inom länet")
    return out


def insufficient_statement(label: str, reason: str) -> str:
    """The line for an indicator that cannot be assessed, naming why."""
    return f"{label}: otillräckliga data för en bedömning – {reason}."


def indicator_statement(
    row: Mapping[str, Any],
    label: str,
    reason: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> str:
    """One Swedish line for an indicator in a geography and assessment year, naming it by its
    catalogue short label. ``reason``: why an unassessable row cannot be assessed (default:
    what the row itself shows); ``meta``: the indicator's catalogue ``scale`` and ``unit`` (with
    them the line gives the figures behind the verdict)."""
    meta = meta or {}
    if row.get("status") in (None, INSUFFICIENT) or _isnan(row.get("status")):
        text = insufficient_statement(label, reason or insufficient_reason(row))
        gap = sex_gap_sentence(row, meta)
        return f"{text} {gap}" if gap else text
    text = f"{label} {_predicate(row)}"
    rank = _rank_phrase(row)
    if rank:
        text += f"; {rank}"
    inequality = _inequality_phrases(row)
    if inequality:
        joined = " och ".join(inequality)
        # "men" contrasts a good verdict, once: a predicate with its own "men" takes "och".
        contrast = row.get("status") in ON_COURSE and ", men " not in text
        text += f", men {joined}" if contrast else f", och {joined}"
    recent = _recent(row, meta)
    if recent:
        text += f"; {recent}"
    shown = figures(row, meta)
    if shown:
        text += f" ({shown})"
    text += "."
    caveats = []
    if row.get("low_confidence") in (True, 1):
        caveats.append("osäker bedömning: få värden sedan basåret")
    if row.get("is_synthetic") in (True, 1):
        caveats.append("bygger på syntetiska data")
    if caveats:
        text += f" ({'; '.join(caveats)})"
    gap = sex_gap_sentence(row, meta)
    return f"{text} {gap}" if gap else text


def focus_effort_summary(
    name: str, rows: Iterable[Mapping[str, Any]], labels: Mapping[str, str], year: int
) -> str:
    """One paragraph for a kraftsamling from its indicators' rows for the county (sex T);
    ``labels``: the catalogue short label per indicator."""
    rows = list(rows)
    if not rows:
        return f"{name}: inga indikatorer med värden för {year}."
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r.get("status"))] = counts.get(str(r.get("status")), 0) + 1
    assessable = len(rows) - counts.get(INSUFFICIENT, 0)
    good = sum(counts.get(code, 0) for code in ON_COURSE)
    parts = [f"{n} {s.label}" for s in STATUSES if (n := counts.get(s.code, 0))]
    text = (
        f"{name} följs {year} upp med {len(rows)} indikatorer för länet, varav {assessable} "
        f"kan bedömas: {', '.join(parts)}."
    )
    if assessable:
        text += f" {good} av {assessable} bedömda har nått målet eller är i eller nästan i fas."
    scored = [r for r in rows if _num(r, "score") is not None and r.get("status") not in ON_COURSE]
    worst = sorted(scored, key=lambda r: (_num(r, "score"), str(r.get("indicator_id"))))[:2]
    if worst:
        names = " och ".join(in_sentence(labels[str(r["indicator_id"])]) for r in worst)
        text += f" Störst utmaning: {names}."
    widening = [
        r
        for r in rows
        if r.get("sex_gap_trend") == "widening" or r.get("kommun_spread_trend") == "widening"
    ]
    if widening:
        text += (
            f" För {len(widening)} av indikatorerna ökar skillnaderna mellan kvinnor och män "
            "eller inom länet."
        )
    low = sum(1 for r in rows if r.get("low_confidence") in (True, 1))
    if low:
        text += f" {low} bedömningar är osäkra (bygger på 2–3 värden)."
    synthetic = sum(1 for r in rows if r.get("is_synthetic") in (True, 1))
    if synthetic:
        text += f" {synthetic} av bedömningarna bygger på syntetiska data (märkta i tabellen)."
    return text


def _reasons(records: list[dict[str, Any]], indicators: pd.DataFrame) -> list[str | None]:
    """Per gap row, why it is unassessable (None for assessed rows). A series' rows are its
    years with a value (from the baseline on), which is what the reasons count."""
    baselines = indicators.set_index("indicator_id")["baseline_year"].to_dict()
    years: dict[tuple[str, str], list[int]] = {}
    for r in records:
        years.setdefault((r["indicator_id"], r["geography_code"]), []).append(
            int(r["assessment_year"])
        )
    out: list[str | None] = []
    for r in records:
        if r.get("status") != INSUFFICIENT:
            out.append(None)
            continue
        baseline = baselines.get(r["indicator_id"])
        out.append(
            insufficient_reason(
                r,
                years[(r["indicator_id"], r["geography_code"])],
                None if pd.isna(baseline) else int(baseline),
            )
        )
    return out


META_COLUMNS = ["scale", "unit", "measure"]


def indicator_meta(indicators: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per indicator, the catalogue facts a statement needs to word its figures."""
    frame = indicators.set_index("indicator_id").reindex(columns=META_COLUMNS)
    return {i: {k: v for k, v in m.items() if pd.notna(v)} for i, m in frame.iterrows()}


def _year(row: Mapping[str, Any]) -> int:
    return int(row["assessment_year"])


def statements_frame(
    gaps: pd.DataFrame, indicators: pd.DataFrame, focus_efforts: pd.DataFrame
) -> pd.DataFrame:
    """Every statement as a table for BI tools: one line per indicator × geography × assessment
    year (sex T), and one paragraph per kraftsamling × län × assessment year."""
    labels = indicators.set_index("indicator_id")["short_label"].astype(str).to_dict()
    metas = indicator_meta(indicators)
    total = gaps[gaps["sex"] == "T"]
    records = total.to_dict("records")
    out = [
        {
            "subject_type": "indicator",
            "subject_id": r["indicator_id"],
            "geography_code": r["geography_code"],
            "assessment_year": int(r["assessment_year"]),
            "status": r["status"],
            "statement": indicator_statement(
                r, labels[r["indicator_id"]], reason, metas.get(r["indicator_id"])
            ),
            "is_synthetic": bool(r.get("is_synthetic")),
        }
        for r, reason in zip(records, _reasons(records, indicators), strict=True)
    ]
    lan = total[total["geography_level"] == "lan"]
    links = indicators[["indicator_id", "focus_effort_ids"]].dropna()
    members = {
        fe: {
            i
            for i, ids in zip(links["indicator_id"], links["focus_effort_ids"], strict=True)
            if fe in ids.split(";")
        }
        for fe in focus_efforts["focus_effort_id"]
    }
    names = focus_efforts.set_index("focus_effort_id")["focus_effort_name"].to_dict()
    ids_of = focus_efforts["focus_effort_id"].to_numpy()
    for geo, series in lan.sort_values("assessment_year").groupby("geography_code"):
        newest: dict[str, dict[str, Any]] = {}  # indicator → its newest row up to the year
        for year, rows_of_year in groupby(series.to_dict("records"), key=_year):
            newest.update({r["indicator_id"]: r for r in rows_of_year})
            # Only the kraftsamlingar that apply that year (docs/method.md §7).
            in_force = set(ids_of[applying(focus_efforts, "focus_effort_id", year)])
            for fe, ids in members.items():
                if fe not in in_force:
                    continue
                rows = [r for i, r in newest.items() if i in ids]
                out.append(
                    {
                        "subject_type": "focus_effort",
                        "subject_id": fe,
                        "geography_code": geo,
                        "assessment_year": year,
                        "status": None,
                        "statement": focus_effort_summary(names[fe], rows, labels, year),
                        "is_synthetic": any(bool(r.get("is_synthetic")) for r in rows),
                    }
                )
    return pd.DataFrame(out)
