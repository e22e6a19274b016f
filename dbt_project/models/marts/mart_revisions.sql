-- An event fact: one row per revision of a published value (indicator × geography × year × sex,
-- the value before and after, and when and in which raw load the new value was first seen).
with

revisions as (
    select * from {{ ref('int_value_revisions__detected') }}
),

final as (
    select
        indicator_id,
        geography_code,
        year,
        sex,
        old_value,
        new_value,
        is_deleted,
        source,
        source_series_id,
        revised_in_load_id,
        first_seen_at
    from revisions
)

select * from final
