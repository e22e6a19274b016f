{{ stage_raw_loads(source('kolada', 'loads')) }}
