-- One row per revision event: a later accepted load changed (or deleted) the value an earlier
-- accepted load had delivered for an indicator × geography × year × sex. The value before and
-- after (after is null when the source deleted it) and the load that first carried the change.
-- The raw loads are append-only, so this is the whole history of vintages.
with

sightings as (
    select * from {{ ref('int_source_values__unioned') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

indicator_sightings as (
    select
        indicators.indicator_id,
        sightings.geography_code,
        sightings.year,
        sightings.sex,
        sightings.value,
        sightings.is_deleted,
        sightings.source,
        sightings.source_series_id,
        sightings.load_id,
        sightings.load_started_at
    from sightings
    inner join indicators
        on sightings.source = indicators.source
        and sightings.source_series_id = indicators.source_series_id
),

sequenced as (
    select
        *,
        lag(value) over (
            partition by indicator_id, geography_code, year, sex
            order by load_started_at, load_id
        ) as previous_value,
        row_number() over (
            partition by indicator_id, geography_code, year, sex
            order by load_started_at, load_id
        ) as nth_sighting
    from indicator_sightings
),

final as (
    select
        indicator_id,
        geography_code,
        year,
        sex,
        previous_value as old_value,
        case when is_deleted then null else value end as new_value,
        is_deleted,
        source,
        source_series_id,
        load_id as revised_in_load_id,
        load_started_at as first_seen_at
    from sequenced
    where nth_sighting > 1 and (value is distinct from previous_value or is_deleted)
)

select * from final
