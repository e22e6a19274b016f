with

source as (
    select * from {{ source('scb', 'values') }}
),

renamed as (
    select
        -- ids
        load_id,
        series_id,
        table_id,
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
        provenance
    from source
)

select * from renamed
