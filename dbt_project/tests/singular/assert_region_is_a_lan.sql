-- The län under follow-up (env RUS_REGION, else the strategy owner's) is one of the 21 län.
-- Fails with the code when it is not (dim_geography would then flag no region at all).
with

geographies as (
    select * from {{ ref('geographies') }}
),

region as (
    select {{ region_code() }} as region_code
),

final as (
    select region.region_code
    from region
    left join geographies
        on region.region_code = geographies.geography_code
        and geographies.level = 'lan'
    where geographies.geography_code is null
)

select * from final
