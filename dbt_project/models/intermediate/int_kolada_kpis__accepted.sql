-- Kolada's KPI metadata (the publication calendar) per KPI, as the newest accepted load saw it.
with

kpis as (
    select * from {{ ref('stg_kolada__kpis') }}
),

loads as (
    select * from {{ ref('stg_kolada__loads') }}
),

ranked as (
    select
        kpis.source_series_id,
        kpis.kpi_title,
        kpis.last_published_period,
        kpis.next_publication_date,
        kpis.prel_publication_date,
        kpis.load_id,
        row_number() over (
            partition by kpis.source_series_id
            order by loads.load_started_at desc, kpis.load_id desc
        ) as recency
    from kpis
    inner join loads on kpis.load_id = loads.load_id
    where loads.is_accepted
),

final as (
    select
        source_series_id,
        kpi_title,
        last_published_period,
        next_publication_date,
        prel_publication_date,
        load_id
    from ranked
    where recency = 1
)

select * from final
