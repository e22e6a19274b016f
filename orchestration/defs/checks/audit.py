"""audit.validation_results: every expectation outcome of every check, in the working warehouse."""

import json

from dagster_duckdb import DuckDBResource

from expectations.summary import ValidationSummary

DDL = """
create schema if not exists audit;
create table if not exists audit.validation_results (
    validated_at timestamp,
    suite varchar,
    asset_key varchar,
    target varchar,          -- the raw load id, or the warehouse table validated
    suite_success boolean,
    expectation varchar,
    column_name varchar,
    rule varchar,
    success boolean,
    observed varchar,        -- JSON
    unexpected_count bigint,
    unexpected_examples varchar  -- JSON
);
"""


def record(
    warehouse: DuckDBResource, summary: ValidationSummary, asset_key: str, target: str
) -> int:
    """Append one row per expectation outcome; returns the rows written."""
    rows = [
        (
            summary.evaluated_at.rstrip("Z"),
            summary.suite,
            asset_key,
            target,
            summary.success,
            o.expectation,
            o.column,
            o.rule,
            o.success,
            json.dumps(o.observed, ensure_ascii=False, default=str),
            o.unexpected_count,
            json.dumps(o.unexpected_examples, ensure_ascii=False, default=str),
        )
        for o in summary.outcomes
    ]
    with warehouse.get_connection() as con:
        con.execute(DDL)
        con.executemany(
            "insert into audit.validation_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
    return len(rows)
