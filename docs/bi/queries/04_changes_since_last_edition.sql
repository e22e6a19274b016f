-- 4. Vad har ändrats sedan förra årets upplaga?
--    What changed since last year's edition?
-- The county's indicators whose status differs from last year's edition, read as the report
-- reads it: an edition for year t shows each indicator's newest assessment up to t (data_year),
-- so the newest assessment up to t is compared with the newest up to t − 1; none before counts
-- as 'insufficient_data' ("otillräckliga data"). t is the county's latest assessment year.
-- Both sides come from today's publication, so every change listed rests on a newer data year.
-- The roll-ups carry the same per area, kraftsamling and goal (gap_area_annual, …:
-- previous_assessment_year, n_status_changed, mean_score_change).
with county as (
    select geography_code from dim_geography where is_region
),
county_rows as (
    select indicator_id, assessment_year, status, status_label
    from gap_indicator_annual
    where geography_code = (select geography_code from county) and sex = 'T'
),
latest as (
    select max(assessment_year) as assessment_year from county_rows
),
this_edition as (
    select * from (
        select
            c.*,
            row_number() over (partition by indicator_id order by assessment_year desc) as nr
        from county_rows as c
        where assessment_year <= (select assessment_year from latest)
    ) as newest
    where nr = 1
),
last_edition as (
    select * from (
        select
            c.*,
            row_number() over (partition by indicator_id order by assessment_year desc) as nr
        from county_rows as c
        where assessment_year <= (select assessment_year from latest) - 1
    ) as newest
    where nr = 1
)
select
    (select assessment_year from latest) as edition_year,
    n.indicator_id,
    i.short_label,
    p.assessment_year as previous_data_year,
    coalesce(p.status, 'insufficient_data') as previous_status,
    coalesce(p.status_label, 'otillräckliga data') as previous_status_label,
    n.assessment_year as data_year,
    n.status,
    n.status_label
from this_edition as n
left join last_edition as p on p.indicator_id = n.indicator_id
join dim_indicator as i on i.indicator_id = n.indicator_id
where coalesce(p.status, 'insufficient_data') <> n.status
order by n.indicator_id;
