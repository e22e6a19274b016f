-- Every value of every complete Kolada load, in the conformed vocabulary both sources share
-- from staging on (source_series_id, geography_code, sex T/K/M).
with

source as (
    select * from {{ source('kolada', 'values') }}
),

renamed as (
    select
        -- ids
        load_id,
        'kolada' as source,
        kpi_id as source_series_id,
        municipality_id as geography_code,
        -- dimensions
        cast(year as integer) as year,
        gender as sex,
        -- measures
        value,
        nullif(status, '') as source_status,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        -- provenance
        coalesce(is_synthetic, false) as is_synthetic,
        coalesce(provenance, 'Kolada API') as provenance,
        -- Kolada only
        count as contributing_count
    from source
)

select * from renamed
