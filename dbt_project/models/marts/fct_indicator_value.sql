-- Every indicator's current value: the fetched indicators' from accepted loads and the ratio
-- indicators' computed from them (int_indicator_values__ratios has the accepted model's columns
-- in the same order, so the union lines them up), with lineage and the synthetic flag.
with

accepted as (
    select * from {{ ref('int_indicator_values__accepted') }}
    where value is not null
),

ratios as (
    select * from {{ ref('int_indicator_values__ratios') }}
),

values_ as (
    select * from accepted
    union all
    select * from ratios
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
)

select * from final
