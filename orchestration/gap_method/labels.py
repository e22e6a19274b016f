"""Status codes (stable English keys) and the Swedish labels users see.

``STATUS_LABELS`` lists every value the ``status`` column of ``gap_indicator_annual`` can take;
the gap table's validation suite checks the column against its keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INSUFFICIENT = "insufficient_data"

# Long-term status shown to users (docs/method.md §5).
STATUS_LABELS = {
    "target_met": "uppnått",
    "target_met_worsening": "uppnått men försämras",
    "on_track": "i fas",
    "nearly_on_track": "nästan i fas",
    "too_slow": "förbättras för långsamt",
    "stagnating": "står still",
    "wrong_direction": "går åt fel håll",
    INSUFFICIENT: "otillräckliga data",
}

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
    takes from the few categories instead of converting every element."""
    names = [labels[c] for c in codes.categories] if labels else list(codes.categories)
    return pd.array(names, dtype="str").take(codes.codes)


def choose(selector: np.ndarray, *options: pd.Categorical) -> pd.Categorical:
    """Per element, the code of ``options[selector[i]]`` (all options share their categories)."""
    picked = np.choose(selector, [option.codes for option in options])
    return pd.Categorical.from_codes(picked, categories=options[0].categories)
