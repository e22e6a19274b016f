-- 1. Vilka av länets indikatorer går åt fel håll i år?
--    Which of the county's indicators went the wrong way this year?
-- The county is the län under follow-up (dim_geography.is_region); "this year" is the latest
-- assessment year the county has (sex T = totalt); status 'wrong_direction' = "går åt fel håll".
-- An indicator whose newest figure is older than that year is not in this year's rows.
-- Lowest score (−5…+5) first.
with county as (
    select geography_code from dim_geography where is_region
),
latest as (
    select max(assessment_year) as assessment_year
    from gap_indicator_annual
    where geography_code = (select geography_code from county) and sex = 'T'
)
select
    g.assessment_year,
    g.indicator_id,
    i.short_label,
    g.status_label,
    g.short_term_label,
    g.value,
    i.unit,
    g.target_level,
    g.distance_to_target,
    g.rank_among_lan,
    g.score
from gap_indicator_annual as g
join dim_indicator as i on i.indicator_id = g.indicator_id
where g.geography_code = (select geography_code from county)
    and g.sex = 'T'
    and g.assessment_year = (select assessment_year from latest)
    and g.status = 'wrong_direction'
order by g.score, g.indicator_id;
