-- 3. Vilka av länets kommuner är längst från målet för en indikator?
--    Which of the county's kommuner are furthest from the target on an indicator?
-- Change the indicator in `params`. distance_to_target = direction_sign · (value − target): ≥ 0
-- when the target is met, negative when short of it, whichever way is better, so the furthest
-- from target has the smallest (most negative) distance: sort ascending. Indicators without a
-- target (target_type 'direction') have no distance. The latest year any of the kommuner has.
with params as (
    select 'vocational_programme_eligibility' as indicator_id
),
kommun_rows as (
    select g.*, k.geography_name
    from gap_indicator_annual as g
    join dim_geography as k on k.geography_code = g.geography_code
    where k.is_region_kommun
        and g.sex = 'T'
        and g.indicator_id = (select indicator_id from params)
),
latest as (
    select max(assessment_year) as assessment_year from kommun_rows
)
select
    assessment_year,
    geography_code,
    geography_name as kommun,
    value,
    target_level,
    distance_to_target,
    status_label,
    rank_in_lan,
    kommuner_ranked
from kommun_rows
where assessment_year = (select assessment_year from latest)
    and distance_to_target is not null
order by distance_to_target, geography_code
limit 10;
