"""Stand-ins for the dbt cross-database macros the models call (``dbt.listagg``,
``dbt.dateadd``, ``dbt.concat``), rendering SQL close to what dbt-duckdb renders, so the lint
parses it."""

from __future__ import annotations


def listagg(
    measure: str,
    delimiter_text: str = "','",
    order_by_clause: str | None = None,
    limit_num: int | None = None,
) -> str:
    order = f" {order_by_clause}" if order_by_clause else ""
    return f"string_agg({measure}, {delimiter_text}{order})"


def dateadd(datepart: str, interval: str | int, from_date_or_timestamp: str) -> str:
    return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"


def concat(fields: list[str]) -> str:
    return f"({' || '.join(fields)})"
