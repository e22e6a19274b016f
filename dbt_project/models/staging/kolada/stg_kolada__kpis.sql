-- Kolada's KPI metadata per load, typed, the KPI id conformed to source_series_id.
with

source as (
    select * from {{ source('kolada', 'kpis') }}
),

renamed as (
    select
        -- ids
        cast(load_id as varchar) as load_id,
        cast(kpi_id as varchar) as source_series_id,
        -- dimensions
        cast(title as varchar) as kpi_title,
        cast(publ_period as varchar) as last_published_period,
        -- dates
        cast(publication_date as date) as next_publication_date,
        cast(prel_publication_date as date) as prel_publication_date
    from source
)

select * from renamed
