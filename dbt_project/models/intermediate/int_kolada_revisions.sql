-- Every Kolada value revised (or deleted) by a later accepted load.
{{ accepted_revisions(ref('stg_kolada__values'), ref('stg_kolada__loads'),
                      ['kpi_id', 'geography_code', 'year', 'sex']) }}
