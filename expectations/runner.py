"""Run a suite on a DataFrame and return a typed, JSON-ready summary.

GX runs in an ephemeral context (no project files, no network, no progress bars, analytics off
in the context's own config: importing this module writes nothing to the environment). Given a
``docs_dir``, the context's expectation suites and validation results are stored as JSON under it
and the run goes through a GX Checkpoint with ``UpdateDataDocsAction``, so GX renders its own Data
Docs site there::

    <docs_dir>/expectations/<suite>.json                             the suites, as last run
    <docs_dir>/validations/<suite>/<run name>/<run time>/<batch>.json the validation results
    <docs_dir>/data_docs/index.html                                  the Data Docs site

Results accumulate across runs (the newest ``DOCS_KEEP_PER_SUITE`` per suite; the audit table in
the warehouse keeps every outcome), and the index lists them per suite and run.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import great_expectations as gx
import pandas as pd
from great_expectations.checkpoint import UpdateDataDocsAction
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

import expectations.custom  # noqa: F401  (registers the custom expectations with GX)
from expectations.summary import ExpectationOutcome, ValidationSummary

MAX_EXAMPLES = 10
DATASOURCE = "rus_pipeline"
DOCS_SITE = "local_site"
# Validation results kept per suite for Data Docs. Rendering the index reads every kept result, so
# this bounds the time Data Docs add to a validation (measured on 2 shared cores: +0.3 s with a few
# stored results, +0.5–1.0 s with 150 = the pipeline's 5 suites x 30, +0.9–1.8 s with 250).
DOCS_KEEP_PER_SUITE = 30


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def _filesystem_store(class_name: str, directory: Path) -> dict[str, Any]:
    return {
        "class_name": class_name,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(directory),
        },
    }


def _context(docs_dir: Path | None) -> AbstractDataContext:
    """An ephemeral context; with ``docs_dir``, suites and results on disk and a docs site."""
    defaults = InMemoryStoreBackendDefaults(init_temp_docs_sites=False)
    stores = dict(defaults.stores)
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        stores[defaults.expectations_store_name] = _filesystem_store(
            "ExpectationsStore", docs_dir / "expectations"
        )
        stores[defaults.validation_results_store_name] = _filesystem_store(
            "ValidationResultsStore", docs_dir / "validations"
        )
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir / "data_docs"),
            },
        }
    config = DataContextConfig(
        store_backend_defaults=defaults,
        stores=stores,
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


@contextmanager
def _docs_lock(docs_dir: Path | None) -> Iterator[None]:
    """One validation at a time writes a docs dir (checks may run in parallel processes)."""
    if docs_dir is None:
        yield
        return
    docs_dir.mkdir(parents=True, exist_ok=True)
    with (docs_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prune_results(context: AbstractDataContext, suite: str, keep: int) -> None:
    """Drop all but the newest ``keep`` stored results of ``suite``; the next Data Docs build
    removes their pages (GX cleans pages whose result is gone)."""
    store = context.validation_results_store
    keys = [store.tuple_to_key(t) for t in store.store_backend.list_keys(prefix=(suite,))]
    keys.sort(key=lambda k: k.run_id.run_time)
    for key in keys[: max(0, len(keys) - keep)]:
        store.remove_key(key)


def _page_path(context: AbstractDataContext, key: Any) -> str | None:
    urls = context.get_docs_sites_urls(resource_identifier=key, site_names=[DOCS_SITE])
    url = urls[0]["site_url"] if urls else None
    return unquote(urlparse(url).path) if url else None


def _outcomes(result: Any) -> list[ExpectationOutcome]:
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        res = r.result or {}
        examples = res.get("partial_unexpected_list") or []
        if r.exception_info and r.exception_info.get("raised_exception"):
            examples = [r.exception_info.get("exception_message")]
        outcomes.append(
            ExpectationOutcome(
                expectation=cfg.type,
                column=cfg.kwargs.get("column")
                or (",".join(cfg.kwargs["column_list"]) if cfg.kwargs.get("column_list") else None),
                success=bool(r.success),
                rule=(cfg.meta or {}).get("rule", ""),
                observed=_jsonable(res.get("observed_value", res.get("element_count"))),
                unexpected_count=res.get("unexpected_count"),
                unexpected_examples=_jsonable(list(examples)[:MAX_EXAMPLES]),
            )
        )
    return outcomes


def validate(
    frame: pd.DataFrame,
    name: str,
    expectations: list[gx.expectations.Expectation],
    *,
    docs_dir: Path | None = None,
    run_name: str | None = None,
) -> ValidationSummary:
    """Validate ``frame`` with suite ``name`` of ``expectations``; a failed one never raises.

    With ``docs_dir``, the result is stored there and rendered into GX Data Docs (see the module
    docstring); ``run_name`` (e.g. the load id or table) names the run on the page and in the
    index, and the summary's ``docs_page`` is the page's path.
    """
    docs_dir = Path(docs_dir) if docs_dir is not None else None
    run_time = datetime.now(UTC)
    with _docs_lock(docs_dir):
        context = _context(docs_dir)
        batch = (
            context.data_sources.add_pandas(DATASOURCE)
            .add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe("whole")
        )
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(name=name, expectations=list(expectations))
        )
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        actions = (
            [UpdateDataDocsAction(name="update_data_docs", site_names=[DOCS_SITE])]
            if docs_dir is not None
            else []
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                actions=actions,
                result_format="SUMMARY",
            )
        )
        if docs_dir is not None:
            _prune_results(context, name, DOCS_KEEP_PER_SUITE - 1)
        run = checkpoint.run(
            batch_parameters={"dataframe": frame},
            run_id=RunIdentifier(run_name=run_name, run_time=run_time),
        )
        ((key, result),) = run.run_results.items()
        page = _page_path(context, key) if docs_dir is not None else None
    return ValidationSummary(
        suite=suite.name,
        success=bool(result.success),
        evaluated_at=run_time.isoformat(timespec="seconds").replace("+00:00", "Z"),
        row_count=len(frame),
        outcomes=_outcomes(result),
        run_name=run_name,
        docs_page=page,
    )
