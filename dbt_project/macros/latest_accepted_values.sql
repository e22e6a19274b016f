{% macro accepted_sightings(values_relation, loads_relation, keys) %}
{#- Every sighting of a key in an accepted load, in load order, with the value it replaced. -#}
{%- set key_list = keys | join(', ') -%}
with

values_ as (
    select * from {{ values_relation }}
),

loads as (
    select * from {{ loads_relation }}
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
        lag(value) over (partition by {{ key_list }} order by load_started_at, load_id) as previous_value,
        row_number() over (partition by {{ key_list }} order by load_started_at, load_id) as nth_sighting,
        row_number() over (partition by {{ key_list }} order by load_started_at desc, load_id desc) as recency
    from accepted
)
{% endmacro %}

{#-
    The current value of every key from loads whose validation passed, with when the key was
    first seen and when its current value first appeared. Raw loads are append-only; this is
    where each source is reduced to one row per key. Deleted values (Kolada's from_date flag)
    are dropped when the newest sighting says so.

    values_relation: staging model with load_id, the key columns, value, is_deleted, ...
    loads_relation:  staging model with load_id, is_accepted, load_started_at
    keys:            the key columns
-#}
{% macro latest_accepted_values(values_relation, loads_relation, keys) %}
{%- set key_list = keys | join(', ') -%}
{%- set value_columns = [] -%}
{%- if execute -%}
    {%- set value_columns = adapter.get_columns_in_relation(values_relation) | map(attribute='name') | list -%}
{%- endif -%}
{{ accepted_sightings(values_relation, loads_relation, keys) }},

history as (
    select
        {{ key_list }},
        min(load_started_at) as first_seen_at,
        max(case when nth_sighting = 1 or value is distinct from previous_value then load_started_at end)
            as last_revised_at,
        sum(case when nth_sighting > 1 and value is distinct from previous_value then 1 else 0 end)
            as revision_count
    from sequenced
    group by {{ key_list }}
),

final as (
    select
        {#- The staging model's own columns (portable: no DuckDB "* exclude"). -#}
        {%- for column in value_columns %}
        sequenced.{{ column }},
        {%- endfor %}
        history.first_seen_at,
        history.last_revised_at,
        history.revision_count
    from sequenced
    inner join history using ({{ key_list }})
    where sequenced.recency = 1
      and not coalesce(sequenced.is_deleted, false)
)

select * from final
{% endmacro %}

{#-
    Every revision of a value by a later accepted load: the key, the value before and after
    (after is null when the source deleted it), and the load that first carried the new value.
    The raw loads are append-only, so this is the whole history of vintages.
-#}
{% macro accepted_revisions(values_relation, loads_relation, keys) %}
{{ accepted_sightings(values_relation, loads_relation, keys) }}

select
    {{ keys | join(', ') }},
    previous_value as old_value,
    case when coalesce(is_deleted, false) then null else value end as new_value,
    coalesce(is_deleted, false) as is_deleted,
    load_id as revised_in_load_id,
    load_started_at as first_seen_at
from sequenced
where nth_sighting > 1
  and (value is distinct from previous_value or coalesce(is_deleted, false))
{% endmacro %}
