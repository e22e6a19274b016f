-- The current SCB value per key from accepted (validated) loads.
{{ latest_accepted_values(ref('stg_scb__values'), ref('stg_scb__loads'),
                          ['series_id', 'geography_code', 'year', 'sex']) }}
