with

focus_efforts as (
    select * from {{ ref('rus_focus_efforts') }}
),

final as (
    select
        focus_effort_id,
        focus_effort_number,
        focus_effort_name,
        guiding_question,
        adopted_year,
        applies_from,
        applies_to
    from focus_efforts
)

select * from final
