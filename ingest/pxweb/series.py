"""The catalogue's SCB series id: ``<table>|<Var>=<code>[|<Var>=<code>...]``.

``<table>`` is a PxWeb **v1** table path relative to the v1 API root (it contains ``/``, e.g.
``AM/AM0210/AM0210A/ArbStatusAr``) or a **PxWebApi 2.0** table id (no ``/``, e.g. ``TAB6471``).
The ``Var=code`` pairs fix every variable other than region (``Region``), time (``Tid``) and,
unless fixed too, sex (``Kon``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# Path segments, table ids and variable codes are word characters (SCB uses Swedish letters too).
V1_TABLE = re.compile(r"^\w+(/\w+)+$")
V2_TABLE = re.compile(r"^\w+$")
VAR_CODE = re.compile(r"^[^\W\d_]\w*$")
# Region and time are chosen per load, never fixed by the catalogue.
NOT_FIXABLE = frozenset({"Region", "Tid"})
EXPECTED = (
    "expected '<table>|<Var>=<code>[|<Var>=<code>...]' where <table> is a PxWeb v1 table path "
    "such as 'AM/AM0210/AM0210A/ArbStatusAr' or a PxWebApi 2.0 table id such as 'TAB6471'"
)


@dataclass(frozen=True)
class ScbSeries:
    """One parsed series id. ``fixed`` keeps the catalogue's order of ``(variable, code)``."""

    raw: str
    table: str
    api: Literal["v1", "v2"]
    fixed: tuple[tuple[str, str], ...]

    def fixed_code(self, variable: str) -> str | None:
        return dict(self.fixed).get(variable)


def parse_series_id(text: str) -> ScbSeries:
    """Parse a catalogue SCB series id; :class:`ValueError` names the text and what was expected."""
    if not isinstance(text, str) or text != text.strip() or not text:
        raise ValueError(f"SCB series id {text!r}: empty or surrounded by whitespace; {EXPECTED}")
    table, *pairs = text.split("|")
    if V1_TABLE.match(table):
        api: Literal["v1", "v2"] = "v1"
    elif V2_TABLE.match(table):
        api = "v2"
    else:
        raise ValueError(f"SCB series id {text!r}: table {table!r} is malformed; {EXPECTED}")
    if not pairs:
        raise ValueError(
            f"SCB series id {text!r}: no '<Var>=<code>' pair; at least one (e.g. "
            f"ContentsCode=...) is needed; {EXPECTED}"
        )
    fixed: list[tuple[str, str]] = []
    for pair in pairs:
        var, sep, code = pair.partition("=")
        if not sep or not VAR_CODE.match(var) or not code or code != code.strip() or "=" in code:
            raise ValueError(
                f"SCB series id {text!r}: {pair!r} is not '<Var>=<code>' (a variable code "
                f"starting with a letter, '=', a non-empty value code); {EXPECTED}"
            )
        if var in NOT_FIXABLE:
            raise ValueError(
                f"SCB series id {text!r}: {var!r} cannot be fixed in a series id (region and "
                f"time are chosen per load); {EXPECTED}"
            )
        if var in dict(fixed):
            raise ValueError(f"SCB series id {text!r}: variable {var!r} is fixed twice")
        fixed.append((var, code))
    return ScbSeries(text, table, api, tuple(fixed))
