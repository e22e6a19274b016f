-- The current Kolada value per key from accepted (validated) loads.
{{ latest_accepted_values(ref('stg_kolada__values'), ref('stg_kolada__loads'),
                          ['kpi_id', 'geography_code', 'year', 'sex']) }}
