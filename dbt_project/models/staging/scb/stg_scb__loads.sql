{{ stage_raw_loads(source('scb', 'loads')) }}
