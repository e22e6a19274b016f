-- Every link points at an existing area, kraftsamling, perspective or goal of its type.
-- Fails with every link whose code is unknown for its link_type.
with

links as (
    select * from {{ ref('indicator_links') }}
),

known as (
    select
        'area' as link_type,
        area_id as link_id
    from {{ ref('rus_areas') }}
    union all
    select
        'focus_effort' as link_type,
        focus_effort_id as link_id
    from {{ ref('rus_focus_efforts') }}
    union all
    select
        'perspective' as link_type,
        perspective_id as link_id
    from {{ ref('rus_perspectives') }}
    union all
    select
        'goal' as link_type,
        goal_id as link_id
    from {{ ref('rus_goals') }}
),

final as (
    select
        links.indicator_id,
        links.link_type,
        links.link_id,
        links.is_primary
    from links
    left join known
        on links.link_type = known.link_type
        and links.link_id = known.link_id
    where known.link_id is null
)

select * from final
