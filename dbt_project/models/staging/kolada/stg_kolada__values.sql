with

source as (
    select * from {{ source('kolada', 'values') }}
),

renamed as (
    select
        -- ids
        load_id,
        kpi_id,
        municipality_id as geography_code,
        -- dimensions
        cast(year as integer) as year,
        gender as sex,
        -- measures
        value,
        "count" as contributing_count,
        nullif(status, '') as source_status,
        is_deleted,
        -- provenance
        coalesce(is_synthetic, false) as is_synthetic,
        provenance
    from source
)

select * from renamed
