-- Every area has at least two linked indicators with values for the region under follow-up.
-- Fails with one row per area that has fewer.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

links as (
    select * from {{ ref('indicator_links') }}
),

areas as (
    select * from {{ ref('dim_rus_area') }}
),

with_values as (
    select
        links.link_id as area_id,
        count(distinct facts.indicator_id) as indicators_with_values
    from links
    inner join facts
        on links.indicator_id = facts.indicator_id
        and facts.geography_code = {{ region_code() }}
    where links.link_type = 'area'
    group by links.link_id
),

final as (
    select
        areas.area_id,
        coalesce(with_values.indicators_with_values, 0) as indicators_with_values
    from areas
    left join with_values on areas.area_id = with_values.area_id
    where coalesce(with_values.indicators_with_values, 0) < 2
)

select * from final
