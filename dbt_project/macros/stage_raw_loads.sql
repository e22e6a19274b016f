{#- One row per raw load of a source: its manifest joined with its validation outcome. -#}
{% macro stage_raw_loads(loads_source) %}
with

source as (
    select * from {{ loads_source }}
),

renamed as (
    select
        -- ids
        cast(load_id as varchar) as load_id,
        -- dimensions
        cast(base_url as varchar) as base_url,
        cast(served_by_replay as boolean) as served_by_replay,
        coalesce(cast(validation_success as boolean), false) as is_accepted,
        cast(validation_suite as varchar) as validation_suite,
        cast(payload_sha256 as varchar) as payload_sha256,
        -- measures
        cast(row_count as bigint) as row_count,
        -- timestamps
        cast(started_at as timestamp) as load_started_at,
        cast(finished_at as timestamp) as load_finished_at,
        cast(validated_at as timestamp) as validated_at
    from source
)

select * from renamed
{% endmacro %}
