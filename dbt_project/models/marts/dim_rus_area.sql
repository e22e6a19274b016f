with

areas as (
    select * from {{ ref('rus_areas') }}
),

directions as (
    select * from {{ ref('rus_directions') }}
),

directions_per_area as (
    select
        area_id,
        count(*) as direction_count,
        {{ dbt.listagg('direction_text', "' | '", "order by direction_number") }}
            as strategic_directions
    from directions
    group by area_id
),

final as (
    select
        areas.area_id,
        areas.area_number,
        areas.area_name,
        areas.name_in_2022_follow_up,
        areas.desired_state_2030,
        directions_per_area.strategic_directions,
        coalesce(directions_per_area.direction_count, 0) as direction_count
    from areas
    left join directions_per_area on areas.area_id = directions_per_area.area_id
)

select * from final
