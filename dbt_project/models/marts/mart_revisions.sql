-- Every revision of a published value: indicator × geography × year × sex, the value before
-- and after, and when and in which raw load the new value was first seen.
with

kolada as (
    select * from {{ ref('int_kolada_revisions') }}
),

scb as (
    select * from {{ ref('int_scb_revisions') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

unioned as (
    select
        indicators.indicator_id,
        kolada.geography_code,
        kolada.year,
        kolada.sex,
        kolada.old_value,
        kolada.new_value,
        kolada.is_deleted,
        'kolada' as source,
        kolada.kpi_id as source_series_id,
        kolada.revised_in_load_id,
        kolada.first_seen_at
    from kolada
    inner join indicators
        on indicators.source = 'kolada'
        and indicators.source_series_id = kolada.kpi_id
    union all
    select
        indicators.indicator_id,
        scb.geography_code,
        scb.year,
        scb.sex,
        scb.old_value,
        scb.new_value,
        scb.is_deleted,
        'scb' as source,
        scb.series_id as source_series_id,
        scb.revised_in_load_id,
        scb.first_seen_at
    from scb
    inner join indicators
        on indicators.source = 'scb'
        and indicators.source_series_id = scb.series_id
)

select * from unioned
