with

indicators as (
    select * from {{ ref('indicators') }}
),

links as (
    select * from {{ ref('indicator_links') }}
),

calendar as (
    select * from {{ ref('int_kolada_kpis__accepted') }}
),

geographies as (
    select * from {{ ref('dim_geography') }}
),

values_total as (
    select * from {{ ref('fct_indicator_value') }}
    where sex = 'T'
),

-- "The latest year" per level, so that a stray early row (one kommun's value for a year the
-- county does not have yet) never passes for the year of the follow-up.
latest_national_and_county as (
    select
        values_total.indicator_id,
        max(case when geographies.level = 'riket' then values_total.year end) as latest_year_riket,
        max(case when geographies.is_region then values_total.year end) as latest_year_lan
    from values_total
    inner join geographies on values_total.geography_code = geographies.geography_code
    group by values_total.indicator_id
),

region_kommun_count as (
    select count(*) as kommuner
    from geographies
    where is_region_kommun
),

kommun_years as (
    select
        values_total.indicator_id,
        values_total.year,
        count(*) as kommuner_with_value
    from values_total
    inner join geographies on values_total.geography_code = geographies.geography_code
    where geographies.is_region_kommun
    group by values_total.indicator_id, values_total.year
),

latest_kommun as (
    select
        kommun_years.indicator_id,
        max(kommun_years.year) as latest_year_kommun
    from kommun_years
    cross join region_kommun_count
    where 2 * kommun_years.kommuner_with_value >= region_kommun_count.kommuner
    group by kommun_years.indicator_id
),

links_per_indicator as (
    select
        indicator_id,
        {{ dbt.listagg(
            "case when link_type = 'area' then link_id end", "';'", "order by link_id"
        ) }} as area_ids,
        {{ dbt.listagg(
            "case when link_type = 'focus_effort' then link_id end", "';'", "order by link_id"
        ) }} as focus_effort_ids,
        {{ dbt.listagg(
            "case when link_type = 'perspective' then link_id end", "';'", "order by link_id"
        ) }} as perspective_ids,
        {{ dbt.listagg(
            "case when link_type = 'goal' then link_id end", "';'", "order by link_id"
        ) }} as goal_ids,
        max(case when link_type = 'area' and is_primary then link_id end) as primary_area_id,
        max(case when link_type = 'focus_effort' and is_primary then link_id end)
            as primary_focus_effort_id
    from links
    group by indicator_id
),

final as (
    select
        indicators.indicator_id,
        indicators.source,
        indicators.source_series_id,
        indicators.title,
        indicators.short_label,
        indicators.unit,
        indicators.scale,
        indicators.measure,
        indicators.comparison_indicator_id,
        indicators.desired_direction,
        case indicators.desired_direction when 'increase' then 1 else -1 end as direction_sign,
        indicators.target_type,
        indicators.target_value,
        indicators.target_year,
        indicators.target_source,
        indicators.baseline_year,
        indicators.has_sex_split,
        indicators.geography_levels,
        indicators.natural_min,
        indicators.natural_max,
        indicators.sex_gap_target,
        links_per_indicator.area_ids,
        links_per_indicator.primary_area_id,
        links_per_indicator.focus_effort_ids,
        links_per_indicator.primary_focus_effort_id,
        links_per_indicator.perspective_ids,
        links_per_indicator.goal_ids,
        calendar.last_published_period,
        calendar.next_publication_date,
        calendar.prel_publication_date,
        latest_national_and_county.latest_year_riket,
        latest_national_and_county.latest_year_lan,
        latest_kommun.latest_year_kommun
    from indicators
    left join links_per_indicator on indicators.indicator_id = links_per_indicator.indicator_id
    left join calendar
        on indicators.source = 'kolada'
        and indicators.source_series_id = calendar.source_series_id
    left join latest_national_and_county
        on indicators.indicator_id = latest_national_and_county.indicator_id
    left join latest_kommun on indicators.indicator_id = latest_kommun.indicator_id
)

select * from final
