"""The names of the suites and of the tables they validate (no Great Expectations import, so the
Dagster definitions can name the checks without loading GX; the suites import GX when they run)."""

RAW_KOLADA = "raw_kolada_values"
RAW_SCB = "raw_scb_values"
FCT = "fct_indicator_value"
AREA_MART = "mart_area_indicators"
# The gap tables are named once, in orchestration/gap_method/schema.py (the method's output).
