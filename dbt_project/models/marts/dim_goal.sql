with

goals as (
    select * from {{ ref('rus_goals') }}
),

final as (
    select
        goal_id,
        goal_name,
        sustainability_dimension,
        description
    from goals
)

select * from final
