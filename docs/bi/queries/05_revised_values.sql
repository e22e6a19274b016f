-- 5. Vilka värden har reviderats?
--    Which values were revised?
-- Every revision the pipeline has seen since its first load (mart_revisions): the value before
-- and after, when the new value was first seen and in which raw load. A value the source deleted
-- has is_deleted = true and no new value. Newest first. Empty until a source revises a figure:
-- a first run on the bundled snapshot has none.
select
    r.first_seen_at as revised_at,
    r.indicator_id,
    i.short_label,
    r.geography_code,
    g.geography_name,
    r.year,
    r.sex,
    r.old_value,
    r.new_value,
    r.new_value - r.old_value as change,
    r.is_deleted,
    r.revised_in_load_id
from mart_revisions as r
join dim_indicator as i on i.indicator_id = r.indicator_id
join dim_geography as g on g.geography_code = r.geography_code
order by r.first_seen_at desc, r.indicator_id, r.geography_code, r.year, r.sex;
