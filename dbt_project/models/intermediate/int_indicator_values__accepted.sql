-- The current value per indicator × geography × year × sex from accepted (validated) loads,
-- whatever the source: the newest sighting of the key, with when the key was first seen, when
-- its current value first appeared and how often it changed. Raw loads are append-only; this is
-- where they are reduced to one row per key. A value its newest sighting deletes (Kolada's
-- from_date flag, a series SCB no longer publishes) is dropped.
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
        sightings.source,
        sightings.source_series_id,
        sightings.source_status,
        sightings.load_id,
        sightings.is_deleted,
        sightings.is_synthetic,
        sightings.provenance,
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
        ) as nth_sighting,
        row_number() over (
            partition by indicator_id, geography_code, year, sex
            order by load_started_at desc, load_id desc
        ) as recency
    from indicator_sightings
),

history as (
    select
        indicator_id,
        geography_code,
        year,
        sex,
        min(load_started_at) as first_seen_at,
        max(
            case
                when nth_sighting = 1 or value is distinct from previous_value
                    then load_started_at
            end
        ) as last_revised_at,
        sum(
            case when nth_sighting > 1 and value is distinct from previous_value then 1 else 0 end
        ) as revision_count
    from sequenced
    group by indicator_id, geography_code, year, sex
),

final as (
    select
        sequenced.indicator_id,
        sequenced.geography_code,
        sequenced.year,
        sequenced.sex,
        sequenced.value,
        sequenced.source,
        sequenced.source_series_id,
        sequenced.source_status,
        sequenced.load_id,
        sequenced.is_synthetic,
        sequenced.provenance,
        history.first_seen_at,
        history.last_revised_at,
        history.revision_count
    from sequenced
    inner join history
        on sequenced.indicator_id = history.indicator_id
        and sequenced.geography_code = history.geography_code
        and sequenced.year = history.year
        and sequenced.sex = history.sex
    where sequenced.recency = 1 and not sequenced.is_deleted
)

select * from final
