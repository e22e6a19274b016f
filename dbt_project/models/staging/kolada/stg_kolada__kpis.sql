-- Kolada's KPI metadata per load, typed.
with

source as (
    select * from {{ source('kolada', 'kpis') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(kpi_id as varchar) as kpi_id,
        cast(title as varchar) as kpi_title,
        cast(publ_period as varchar) as last_published_period,
        cast(publication_date as date) as next_publication_date,
        cast(prel_publication_date as date) as prel_publication_date
    from source
)

select * from renamed
