-- Every value of every complete SCB load, in the conformed vocabulary both sources share from
-- staging on (source_series_id, geography_code, sex T/K/M).
with

source as (
    select * from {{ source('scb', 'values') }}
),

renamed as (
    select
        -- ids
        load_id,
        'scb' as source,
        series_id as source_series_id,
        region_code as geography_code,
        -- dimensions
        cast(year as integer) as year,
        sex,
        -- measures
        value,
        nullif(status, '') as source_status,
        coalesce(cast(is_deleted as boolean), false) as is_deleted,
        -- provenance
        coalesce(is_synthetic, false) as is_synthetic,
        coalesce(provenance, 'SCB PxWeb API') as provenance,
        -- SCB only
        table_id
    from source
)

select * from renamed
