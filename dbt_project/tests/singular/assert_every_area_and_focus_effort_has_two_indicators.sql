-- Every prioriterat område and every kraftsamling is followed by at least two indicators.
-- Fails with one row per area / kraftsamling that has fewer.
with

areas as (
    select
        area_id as link_id,
        'area' as link_type
    from {{ ref('rus_areas') }}
),

focus_efforts as (
    select
        focus_effort_id as link_id,
        'focus_effort' as link_type
    from {{ ref('rus_focus_efforts') }}
),

targets as (
    select * from areas
    union all
    select * from focus_efforts
),

links as (
    select * from {{ ref('indicator_links') }}
),

final as (
    select
        targets.link_type,
        targets.link_id,
        count(distinct links.indicator_id) as indicator_count
    from targets
    left join links
        on targets.link_type = links.link_type
        and targets.link_id = links.link_id
    group by targets.link_type, targets.link_id
    having count(distinct links.indicator_id) < 2
)

select * from final
