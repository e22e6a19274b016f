with

geographies as (
    select * from {{ ref('geographies') }}
),

final as (
    select
        geography_code,
        geography_name,
        level,
        nullif(lan_code, '') as lan_code,
        nullif(lan_name, '') as lan_name,
        geography_code = {{ region_code() }} as is_region,
        level = 'kommun' and lan_code = {{ region_code() }} as is_region_kommun
    from geographies
)

select * from final
