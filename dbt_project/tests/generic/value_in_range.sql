{#- Fails with every non-null value outside [min_value, max_value] (either bound optional). -#}
{% test value_in_range(model, column_name, min_value=none, max_value=none) %}
{%- set checks = ["false"] -%}
{%- if min_value is not none %}{% do checks.append(column_name ~ " < " ~ min_value) %}{% endif -%}
{%- if max_value is not none %}{% do checks.append(column_name ~ " > " ~ max_value) %}{% endif -%}
select *
from {{ model }}
where {{ column_name }} is not null and ({{ checks | join(" or ") }})
{% endtest %}
