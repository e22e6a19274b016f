-- Every SCB value revised by a later accepted load.
{{ accepted_revisions(ref('stg_scb__values'), ref('stg_scb__loads'),
                      ['series_id', 'geography_code', 'year', 'sex']) }}
