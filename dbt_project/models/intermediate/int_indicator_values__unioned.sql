-- Source values mapped to catalogue indicators, with provenance. One row per
-- indicator × geography × year × sex. (SCB PxWeb values join here beside Kolada's.)
with

kolada as (
    select * from {{ ref('int_kolada_values__accepted') }}
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
)

select * from kolada_indicators
