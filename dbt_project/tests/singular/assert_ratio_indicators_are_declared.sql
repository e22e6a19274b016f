-- An indicator has source ratio exactly when indicator_ratios declares it, and a ratio's inputs
-- are fetched indicators, not ratios (ingest checks the same before any fetch). Fails with every
-- indicator or input that breaks this, and why.
with

indicators as (
    select * from {{ ref('indicators') }}
),

ratios as (
    select * from {{ ref('indicator_ratios') }}
),

ratio_inputs as (
    select
        indicator_id,
        numerator_indicator_id as input_indicator_id
    from ratios
    union all
    select
        indicator_id,
        denominator_indicator_id as input_indicator_id
    from ratios
),

undeclared as (
    select
        indicators.indicator_id,
        'source ratio but not in indicator_ratios' as problem
    from indicators
    left join ratios on indicators.indicator_id = ratios.indicator_id
    where indicators.source = 'ratio' and ratios.indicator_id is null
),

not_a_ratio as (
    select
        ratios.indicator_id,
        'in indicator_ratios but its source is not ratio' as problem
    from ratios
    inner join indicators on ratios.indicator_id = indicators.indicator_id
    where indicators.source <> 'ratio'
),

input_not_fetched as (
    select
        ratio_inputs.indicator_id,
        'input ' || ratio_inputs.input_indicator_id || ' is a ratio' as problem
    from ratio_inputs
    inner join indicators on ratio_inputs.input_indicator_id = indicators.indicator_id
    where indicators.source = 'ratio'
),

final as (
    select * from undeclared
    union all
    select * from not_a_ratio
    union all
    select * from input_not_fetched
)

select * from final
