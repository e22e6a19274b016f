"""The raw Kolada suite under its former module name: ``expectations.suites.raw.KOLADA``, the
one raw suite factory given Kolada's column names. Kept while callers outside the expectations
package (tests/reliability/test_bad_values.py) name it; new code uses ``raw.KOLADA``."""

from __future__ import annotations

from typing import Any

import great_expectations as gx
import pandas as pd

from expectations.suites.raw import KOLADA, RawContext

NAME = KOLADA.name
KEY = KOLADA.key
COLUMNS = list(KOLADA.mapping.columns)


# Was a dataclass; callers construct the context by this name.
def RawKoladaContext(
    kpi_scales: dict[str, str], geography_codes: frozenset[str], **options: Any
) -> RawContext:
    """The raw suites' context, with the catalogue scales under Kolada's name for them."""
    return RawContext(series_scales=kpi_scales, geography_codes=geography_codes, **options)


def prepare(values: pd.DataFrame, ctx: RawContext) -> pd.DataFrame:
    return KOLADA.prepare(values, ctx)


def build(ctx: RawContext) -> list[gx.expectations.Expectation]:
    return KOLADA.build(ctx)
