"""Status codes (stable English keys) and the Swedish words users see: each vocabulary once.

``STATUSES`` is the one table of the long-term status: label, tone and phrasing. ``STATUS_LABELS``
lists every value the ``status`` column of ``gap_indicator_annual`` can take; the gap table's
validation suite checks the column against its keys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True)
class Status:
    """One long-term status (docs/method.md §5): its code, the Swedish label users see, the
    badge's tone, whether it counts as "nått målet eller i eller nästan i fas", what it means,
    and how a statement phrases it per target type. Phrases are ``str.format`` templates over
    ``verb`` (ökar/minskar), ``goal`` (e.g. "målet 2030"), ``other`` (riket / jämförbara län),
    ``level`` (the benchmark's level by the target year) and ``but_and`` (men when the value
    moves the desired way, else och)."""

    code: str
    label: str
    tone: str  # the report's badge: good, warn, bad or none
    on_course: bool
    meaning: str  # what the status means, in plain Swedish (the report's method section)
    direction: str = "{verb}"  # target_type direction: the 2022 follow-up's words
    fixed: str = "{verb}"  # a fixed target value by a target year
    moving: str = "{verb}"  # national / peer: a moving benchmark


STATUSES = (
    Status(
        "target_met",
        "uppnått",
        "good",
        True,
        "Målet är nått: det senaste värdet är minst så bra som målnivån, eller den "
        "nivå som ska hållas hålls.",
        direction="{verb}",
        fixed="har nått {goal}",
        moving="ligger i nivå med eller före {other}",
    ),
    Status(
        "target_met_worsening",
        "uppnått men försämras",
        "warn",
        True,
        "Målet är nått, men utvecklingen går nu åt fel håll.",
        direction="{verb}, men utvecklingen har vänt",
        fixed="har nått {goal}, men {verb} nu åt fel håll",
        moving="ligger före {other}, men försprånget krymper",
    ),
    Status(
        "on_track",
        "i fas",
        "good",
        True,
        "Utvecklingen går i den takt som krävs för att nå målet i tid. För en "
        "indikator med bara en önskad riktning: en tydlig förbättring sedan basåret.",
        direction="{verb} i önskad takt",
        fixed="{verb} i den takt som krävs för {goal}",
        moving="närmar sig {other} i den takt som krävs för att nå {level}",
    ),
    Status(
        "nearly_on_track",
        "nästan i fas",
        "good",
        True,
        "Utvecklingen går åt rätt håll, nästan i den takt som krävs.",
        direction="{verb}, nästan i önskad takt",
        fixed="{verb}, nästan i den takt som krävs för {goal}",
        moving="närmar sig {other}, nästan i den takt som krävs för att nå {level}",
    ),
    Status(
        "too_slow",
        "förbättras för långsamt",
        "warn",
        False,
        "Utvecklingen går åt rätt håll, men för långsamt för att nå målet i tid.",
        direction="{verb} för långsamt",
        fixed="{verb} för långsamt för {goal}",
        moving="närmar sig {other}, men för långsamt för att nå {level}",
    ),
    Status(
        "stagnating",
        "står still",
        "warn",
        False,
        "Ingen förändring som skiljer sig från de vanliga svängningarna mellan åren.",
        direction="står still",
        fixed="står still; {goal} nås inte i den här takten",
        moving="ligger efter {other}, och avståndet består",
    ),
    Status(
        "wrong_direction",
        "går åt fel håll",
        "bad",
        False,
        "Utvecklingen går bort från målet.",
        direction="{verb}, åt fel håll",
        fixed="{verb}, bort från {goal}",
        moving="{verb}, {but_and} avståndet till {other} växer",
    ),
    Status(
        INSUFFICIENT,
        "otillräckliga data",
        "none",
        False,
        "För få värden för en bedömning, till exempel inget värde för basåret eller "
        "för få år sedan dess. Skälet står i indikatorns mening.",
    ),
)
STATUS = {s.code: s for s in STATUSES}

# Every value the ``status`` column can take, with its label (the gap table's suite checks it).
STATUS_LABELS = {s.code: s.label for s in STATUSES}
# "Har nått målet eller är i eller nästan i fas": what the summaries count as on course.
ON_COURSE = frozenset(s.code for s in STATUSES if s.on_course)


def status_tone(code: object) -> str:
    """The badge tone of a status code; a code the gap method adds later gets the neutral one."""
    status = STATUS.get(str(code))
    return status.tone if status else "none"


# Backward progress as Open SDG names it (sdg-build ``get_progress_status``).
PROGRESS_LABELS = {
    "target_achieved": "målet nått",
    "substantial_progress": "betydande framsteg",
    "moderate_progress": "måttliga framsteg",
    "limited_progress": "begränsade framsteg",
    "deterioration": "försämring",
    "not_available": "uppgift saknas",
}

# Short-term view from Germany's two signals (5-year mean annual change, last change).
SHORT_TERM_LABELS = {
    "improving": "förbättras",
    "improving_recent_setback": "förbättras, men försämrades senaste året",
    "stagnating_recent_setback": "står still, men försämrades senaste året",
    "stagnating_recent_improvement": "står still, men förbättrades senaste året",
    "stagnating": "står still",
    "worsening_recent_improvement": "försämras, men förbättrades senaste året",
    "worsening": "går åt fel håll",
    INSUFFICIENT: "otillräckliga data",
}

# Position against a moving benchmark (Riket, or the peer län) and where the gap is heading;
# plain "ahead"/"behind" when there is no trend yet.
BENCHMARK_LABELS = {
    "ahead_gaining": "före, försprånget växer",
    "ahead_steady": "före, försprånget består",
    "ahead_losing": "före, försprånget krymper",
    "ahead": "före",
    "behind_closing": "efter, avståndet minskar",
    "behind_steady": "efter, avståndet består",
    "behind_widening": "efter, avståndet ökar",
    "behind": "efter",
    "not_comparable": "jämförs inte (en total beror på områdets storlek)",
    INSUFFICIENT: "otillräckliga data",
}

# Trend of a gap or a spread (women/men difference, spread between kommuner).
TREND_LABELS = {
    "widening": "ökar",
    "stable": "oförändrad",
    "narrowing": "minskar",
    INSUFFICIENT: "otillräckliga data",
}


# The verdict on a target that the women/men gap shall decrease (§6.3), beside the level's own
# status: the gap's trend read against that target, with the report's badge tone.
SEX_GAP_TARGET = {
    "narrowing": ("minskar, som målet säger", "good"),
    "not_narrowing": ("oförändrad – målet är att den ska minska", "warn"),
    "widening": ("ökar – målet är att den ska minska", "bad"),
    INSUFFICIENT: ("otillräckliga data", "none"),
}
SEX_GAP_TARGET_LABELS = {code: label for code, (label, _) in SEX_GAP_TARGET.items()}


def coded_select(
    conditions: list[np.ndarray], codes: list[str], default: str, vocabulary: dict[str, str]
) -> pd.Categorical:
    """``np.select`` into a Categorical over ``vocabulary``'s keys: the first true condition
    picks its code, else ``default``."""
    categories = list(vocabulary)
    with np.errstate(invalid="ignore"):
        picked = np.select(
            conditions, [categories.index(c) for c in codes], default=categories.index(default)
        )
    return pd.Categorical.from_codes(picked, categories=categories)


def as_strings(
    codes: pd.Categorical, labels: dict[str, str] | None = None
) -> pd.api.extensions.ExtensionArray:
    """The codes (or, with ``labels``, their labels) as a pandas string array; fast because it
    takes from the few categories instead of converting every element. A missing code (−1)
    stays missing."""
    names = [labels[c] for c in codes.categories] if labels else list(codes.categories)
    return pd.array(names, dtype="str").take(codes.codes, allow_fill=True)


def choose(selector: np.ndarray, *options: pd.Categorical) -> pd.Categorical:
    """Per element, the code of ``options[selector[i]]`` (all options share their categories)."""
    picked = np.choose(selector, [option.codes for option in options])
    return pd.Categorical.from_codes(picked, categories=options[0].categories)
