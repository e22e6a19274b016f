with

values_ as (
    select * from {{ ref('int_indicator_values__accepted') }}
),

final as (
    select
        -- keys
        indicator_id,
        geography_code,
        year,
        sex,
        -- measures
        value,
        -- lineage
        source,
        source_series_id,
        source_status,
        load_id,
        is_synthetic,
        provenance,
        first_seen_at,
        last_revised_at,
        cast(revision_count as bigint) as revision_count
    from values_
    where value is not null
)

select * from final
