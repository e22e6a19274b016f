-- Warns (never blocks) when a source is overdue: the publication Kolada announced for an
-- indicator is more than 30 days past, and the newest accepted metadata still names it, i.e. the
-- calendar has not moved on. In the demo the bundled KPI metadata is a frozen copy, so this
-- warns there; against the live API it names the KPIs Kolada is late with.
{{ config(severity='warn') }}

select
    indicator_id,
    source_series_id,
    last_published_period,
    next_publication_date
from {{ ref('dim_indicator') }}
where
    next_publication_date is not null
    and next_publication_date < {{ dbt.dateadd('day', -30, 'current_date') }}
