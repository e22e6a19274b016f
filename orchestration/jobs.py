"""Jobs. The nightly job materializes everything; steps run in one process (DuckDB: one writer)."""

from __future__ import annotations

import dagster as dg

rus_nightly_job = dg.define_asset_job(
    name="rus_nightly",
    selection=dg.AssetSelection.all(),
    description="Fetch, validate, transform, assess gaps and publish: the whole pipeline.",
    executor_def=dg.in_process_executor,
)
