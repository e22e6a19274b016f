with

strategy as (
    select * from {{ ref('rus_strategy') }}
),

final as (
    select
        strategy_id,
        title,
        short_title,
        owner,
        owner_region_code,
        period_start,
        period_end,
        source
    from strategy
)

select * from final
