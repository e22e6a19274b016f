-- Source values mapped to catalogue indicators, with provenance. One row per
-- indicator × geography × year × sex, whatever the source.
with

kolada as (
    select * from {{ ref('int_kolada_values__accepted') }}
),

scb as (
    select * from {{ ref('int_scb_values__accepted') }}
),

indicators as (
    select * from {{ ref('indicators') }}
),

kolada_indicators as (
    select
        indicators.indicator_id,
        kolada.geography_code,
        kolada.year,
        kolada.sex,
        kolada.value,
        'kolada' as source,
        kolada.kpi_id as source_series_id,
        kolada.source_status,
        kolada.load_id,
        kolada.is_synthetic,
        coalesce(kolada.provenance, 'Kolada API') as provenance,
        kolada.first_seen_at,
        kolada.last_revised_at,
        kolada.revision_count
    from kolada
    inner join indicators
        on indicators.source = 'kolada'
        and indicators.source_series_id = kolada.kpi_id
),

scb_indicators as (
    select
        indicators.indicator_id,
        scb.geography_code,
        scb.year,
        scb.sex,
        scb.value,
        'scb' as source,
        scb.series_id as source_series_id,
        scb.source_status,
        scb.load_id,
        scb.is_synthetic,
        coalesce(scb.provenance, 'SCB PxWeb API') as provenance,
        scb.first_seen_at,
        scb.last_revised_at,
        scb.revision_count
    from scb
    inner join indicators
        on indicators.source = 'scb'
        and indicators.source_series_id = scb.series_id
),

final as (
    select * from kolada_indicators
    union all
    select * from scb_indicators
)

select * from final
