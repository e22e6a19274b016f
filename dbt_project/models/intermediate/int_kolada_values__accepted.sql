-- The current value of every key, from loads whose validation passed, with when it was first
-- seen and last revised. Raw loads are append-only; this is where they are reduced to one row.
with

values_ as (
    select * from {{ ref('stg_kolada__values') }}
),

loads as (
    select * from {{ ref('stg_kolada__loads') }}
),

accepted as (
    select
        values_.*,
        loads.load_started_at
    from values_
    inner join loads on values_.load_id = loads.load_id
    where loads.is_accepted
),

sequenced as (
    select
        *,
        lag(value) over (
            partition by kpi_id, geography_code, year, sex order by load_started_at, load_id
        ) as previous_value,
        row_number() over (
            partition by kpi_id, geography_code, year, sex order by load_started_at, load_id
        ) as nth_sighting,
        row_number() over (
            partition by kpi_id, geography_code, year, sex order by load_started_at desc, load_id desc
        ) as recency
    from accepted
),

history as (
    select
        kpi_id,
        geography_code,
        year,
        sex,
        min(load_started_at) as first_seen_at,
        max(case when nth_sighting = 1 or value is distinct from previous_value then load_started_at end)
            as last_revised_at,
        sum(case when nth_sighting > 1 and value is distinct from previous_value then 1 else 0 end)
            as revision_count
    from sequenced
    group by kpi_id, geography_code, year, sex
),

final as (
    select
        sequenced.kpi_id,
        sequenced.geography_code,
        sequenced.year,
        sequenced.sex,
        sequenced.value,
        sequenced.source_status,
        sequenced.is_synthetic,
        sequenced.provenance,
        sequenced.load_id,
        history.first_seen_at,
        history.last_revised_at,
        history.revision_count
    from sequenced
    inner join history
        on sequenced.kpi_id = history.kpi_id
        and sequenced.geography_code = history.geography_code
        and sequenced.year = history.year
        and sequenced.sex = history.sex
    where sequenced.recency = 1
      and not sequenced.is_deleted
)

select * from final
