{#-
    The län under follow-up, as a SQL expression: var region_code (env RUS_REGION, which
    orchestration/runtime/settings.py exports after checking it), else the strategy owner's län from the
    rus_strategy seed. The seed is always referenced, so every model using this depends on it.
-#}
{% macro region_code() -%}
    coalesce(
        nullif('{{ var("region_code") }}', ''),
        (select owner_region_code from {{ ref('rus_strategy') }})
    )
{%- endmacro %}
