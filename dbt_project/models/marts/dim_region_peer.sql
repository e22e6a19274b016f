-- The comparable län of each län under follow-up (seed rus_region_peers), with their names: what
-- a PEER target's benchmark (the peers' mean that year) is made of, for BI tools and the report.
with

peers as (
    select * from {{ ref('rus_region_peers') }}
),

geographies as (
    select * from {{ ref('geographies') }}
),

final as (
    select
        peers.region_code,
        regions.geography_name as region_name,
        peers.peer_region_code,
        peer_regions.geography_name as peer_region_name
    from peers
    inner join geographies as regions on peers.region_code = regions.geography_code
    inner join geographies as peer_regions on peers.peer_region_code = peer_regions.geography_code
)

select * from final
