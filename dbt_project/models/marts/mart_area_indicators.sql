-- One row per geography × RUS area × indicator × year: total, women, men, the county and Riket
-- for comparison, ranks (1 = best in the desired direction) and changes. A total (measure =
-- 'total': tonnes, hectares, inhabitants) is not ranked: its rank would measure size.
with

facts as (
    select * from {{ ref('fct_indicator_value') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

geographies as (
    select * from {{ ref('dim_geography') }}
),

links as (
    select * from {{ ref('indicator_links') }}
),

by_sex as (
    select
        indicator_id,
        geography_code,
        year,
        max(case when sex = 'T' then value end) as value_total,
        max(case when sex = 'K' then value end) as value_women,
        max(case when sex = 'M' then value end) as value_men,
        bool_or(is_synthetic) as is_synthetic,
        max(last_revised_at) as last_revised_at
    from facts
    group by indicator_id, geography_code, year
),

with_context as (
    select
        by_sex.*,
        geographies.level,
        geographies.is_region_kommun,
        indicators.direction_sign,
        indicators.baseline_year,
        indicators.measure
    from by_sex
    inner join geographies on by_sex.geography_code = geographies.geography_code
    inner join indicators on by_sex.indicator_id = indicators.indicator_id
),

ranked as (
    select
        *,
        case
            when level = 'lan' and value_total is not null and measure = 'intensive'
                then rank() over (
                    partition by indicator_id, year, level, value_total is not null
                    order by direction_sign * value_total desc
                )
        end as rank_among_lan,
        case
            when level = 'lan' and value_total is not null and measure = 'intensive'
                then count(value_total) over (partition by indicator_id, year, level)
        end as lan_with_value,
        case
            when is_region_kommun and value_total is not null and measure = 'intensive'
                then rank() over (
                    partition by indicator_id, year, is_region_kommun, value_total is not null
                    order by direction_sign * value_total desc
                )
        end as rank_among_region_kommuner,
        value_total - lag(value_total) over (
            partition by indicator_id, geography_code order by year
        ) as change_since_previous,
        lag(year) over (partition by indicator_id, geography_code order by year) as previous_year
    from with_context
),

baseline as (
    select
        indicator_id,
        geography_code,
        value_total as baseline_value
    from with_context
    where year = baseline_year
),

county as (
    select
        indicator_id,
        year,
        value_total as county_value
    from by_sex
    where geography_code = {{ region_code() }}
),

national as (
    select
        indicator_id,
        year,
        value_total as national_value
    from by_sex
    where geography_code = '0000'
),

final as (
    select
        ranked.geography_code,
        links.link_id as area_id,
        ranked.indicator_id,
        ranked.year,
        ranked.value_total,
        ranked.value_women,
        ranked.value_men,
        county.county_value,
        national.national_value,
        ranked.rank_among_lan,
        ranked.lan_with_value,
        ranked.rank_among_region_kommuner,
        ranked.baseline_year,
        baseline.baseline_value,
        ranked.value_total - baseline.baseline_value as change_since_baseline,
        ranked.previous_year,
        ranked.change_since_previous,
        ranked.is_synthetic,
        ranked.last_revised_at
    from ranked
    inner join links
        on ranked.indicator_id = links.indicator_id
        and links.link_type = 'area'
    left join baseline
        on ranked.indicator_id = baseline.indicator_id
        and ranked.geography_code = baseline.geography_code
    left join county
        on ranked.indicator_id = county.indicator_id
        and ranked.year = county.year
    left join national
        on ranked.indicator_id = national.indicator_id
        and ranked.year = national.year
)

select * from final
