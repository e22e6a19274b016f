-- 2. Var hamnar länet bland de 21 länen i behörighet till gymnasiet, år för år?
--    The county's rank among the 21 län in eligibility for upper-secondary school, over time.
-- Indicator vocational_programme_eligibility ("Behörighet till gymnasiet", Kolada N15428: pupils
-- in year 9 eligible for a vocational programme, %). Rank 1 = best in the desired direction (here
-- the highest share); equal values share a rank. mart_area_indicators has one row per RUS area an
-- indicator follows: keep the indicator's primary area.
select
    m.year,
    m.value_total as county_value,
    m.national_value,
    m.rank_among_lan,
    m.lan_with_value
from mart_area_indicators as m
join dim_geography as g on g.geography_code = m.geography_code
join dim_indicator as i on i.indicator_id = m.indicator_id and i.primary_area_id = m.area_id
where g.is_region
    and m.indicator_id = 'vocational_programme_eligibility'
order by m.year;
