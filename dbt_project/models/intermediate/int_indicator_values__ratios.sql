-- The current value of every ratio indicator (seed indicator_ratios): numerator × multiplier ÷
-- denominator of two fetched indicators' current values, per geography × year × sex, only where
-- both inputs have a value for that same geography, year and sex (never across years or places
-- one input lacks; a zero denominator gives no row). Its columns are those of
-- int_indicator_values__accepted, in the same order: fct_indicator_value unions the two.
with

ratios as (
    select * from {{ ref('indicator_ratios') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

current_values as (
    select * from {{ ref('int_indicator_values__accepted') }}
    where value is not null
),

paired as (
    select
        ratios.indicator_id,
        numerators.geography_code,
        numerators.year,
        numerators.sex,
        numerators.value * ratios.multiplier / denominators.value as value,
        numerators.source_status as numerator_status,
        denominators.source_status as denominator_status,
        -- load ids sort by their load's UTC start: the newer input's load is the ratio's
        greatest(numerators.load_id, denominators.load_id) as load_id,
        numerators.is_synthetic or denominators.is_synthetic as is_synthetic,
        {{ dbt.concat([
            "'numerator '", "ratios.numerator_indicator_id", "': '", "numerators.provenance",
            "'; denominator '", "ratios.denominator_indicator_id", "': '",
            "denominators.provenance",
        ]) }} as provenance,
        -- the ratio exists once both inputs do, and its value changes when either input's does
        greatest(numerators.first_seen_at, denominators.first_seen_at) as first_seen_at,
        greatest(numerators.last_revised_at, denominators.last_revised_at) as last_revised_at,
        numerators.revision_count + denominators.revision_count as revision_count
    from ratios
    inner join current_values as numerators
        on ratios.numerator_indicator_id = numerators.indicator_id
    inner join current_values as denominators
        on ratios.denominator_indicator_id = denominators.indicator_id
        and numerators.geography_code = denominators.geography_code
        and numerators.year = denominators.year
        and numerators.sex = denominators.sex
    where denominators.value <> 0
),

final as (
    select
        paired.indicator_id,
        paired.geography_code,
        paired.year,
        paired.sex,
        paired.value,
        indicators.source,
        indicators.source_series_id,
        case
            when paired.numerator_status is not null or paired.denominator_status is not null
                then {{ dbt.concat([
                    "coalesce(paired.numerator_status, '')", "'/'",
                    "coalesce(paired.denominator_status, '')",
                ]) }}
        end as source_status,
        paired.load_id,
        paired.is_synthetic,
        paired.provenance,
        paired.first_seen_at,
        paired.last_revised_at,
        paired.revision_count
    from paired
    inner join indicators on paired.indicator_id = indicators.indicator_id
)

select * from final
