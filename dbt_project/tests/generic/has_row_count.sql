{#- Fails with the row count when the model does not hold exactly `expected` rows. -#}
{% test has_row_count(model, expected) %}
select count(*) as n_rows
from {{ model }}
having count(*) <> {{ expected }}
{% endtest %}
