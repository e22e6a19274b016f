-- Every value either source delivered in an accepted (validated) load: one row per sighting of
-- source × series × geography × year × sex in a load, with when that load started. Staging has
-- already conformed both sources' columns, so this one union serves the current values
-- (int_indicator_values__accepted) and the revisions (int_value_revisions__detected). A rejected
-- load never counts.
with

kolada_values as (
    select * from {{ ref('stg_kolada__values') }}
),

kolada_loads as (
    select * from {{ ref('stg_kolada__loads') }}
),

scb_values as (
    select * from {{ ref('stg_scb__values') }}
),

scb_loads as (
    select * from {{ ref('stg_scb__loads') }}
),

source_values as (
    select
        source,
        source_series_id,
        geography_code,
        year,
        sex,
        value,
        source_status,
        is_deleted,
        is_synthetic,
        provenance,
        load_id
    from kolada_values
    union all
    select
        source,
        source_series_id,
        geography_code,
        year,
        sex,
        value,
        source_status,
        is_deleted,
        is_synthetic,
        provenance,
        load_id
    from scb_values
),

source_loads as (
    select
        'kolada' as source,
        load_id,
        is_accepted,
        load_started_at
    from kolada_loads
    union all
    select
        'scb' as source,
        load_id,
        is_accepted,
        load_started_at
    from scb_loads
),

final as (
    select
        source_values.source,
        source_values.source_series_id,
        source_values.geography_code,
        source_values.year,
        source_values.sex,
        source_values.value,
        source_values.source_status,
        source_values.is_deleted,
        source_values.is_synthetic,
        source_values.provenance,
        source_values.load_id,
        source_loads.load_started_at
    from source_values
    inner join source_loads
        on source_values.source = source_loads.source
        and source_values.load_id = source_loads.load_id
    where source_loads.is_accepted
)

select * from final
