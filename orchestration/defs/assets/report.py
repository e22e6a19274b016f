"""The yearly follow-up report, written from the publication once it has been swapped in."""

import dagster as dg

from orchestration.defs.assets.publish import published_marts
from orchestration.defs.resources import PipelinePaths, RunLockResource


class ReportConfig(dg.Config):
    """``year``: the assessment year to report (default: the latest year with enough data)."""

    year: int | None = None


@dg.asset(
    key="followup_report",
    group_name="report",
    kinds={"html", "markdown"},
    deps=[published_marts],
)
def followup_report(
    context: dg.AssetExecutionContext,
    config: ReportConfig,
    paths: PipelinePaths,
    run_lock: RunLockResource,
) -> dg.MaterializeResult:
    """`data/reports/uppfoljning_<year>.html` and `.md`: which strategy structure it follows, the
    share of the county's assessments on real values only, what changed since last year's
    edition, then per kraftsamling and area the statements, a status table and charts with
    their figures as CSV. Read from the published file only."""
    # Imported here: pandas, Altair and the chart renderer take a second to load, which a
    # night that skips the report should not pay.
    from orchestration.report.report import report_from_publication

    files = report_from_publication(
        paths.published_path, paths.region_code, paths.reports_dir, config.year
    )
    context.log.info(f"follow-up report {files.year}: {files.html}")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(f"{files.publication_id}/{files.year}"),
        metadata={
            "year": files.year,
            "summary": files.summary,
            "assessments": files.real_values.assessments,
            "real_values_only_pct": files.real_values.real_percent,
            "report": dg.MetadataValue.url(files.html.as_uri()),
            "html": dg.MetadataValue.path(str(files.html)),
            "markdown": dg.MetadataValue.path(str(files.markdown)),
            "figures": dg.MetadataValue.path(str(files.figures_dir)),
            "charts": files.charts,
            "statements": files.statements,
            "status_changes_since_last_year": files.changes,
            "publication_id": files.publication_id,
        },
    )
