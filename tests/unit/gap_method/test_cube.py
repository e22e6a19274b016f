"""The steps of orchestration/gap_method/cube.py one at a time: the catalogue's optional
columns and refused target types, the values dropped (§1 "Inputs"), the year axis, the series
in key order, duplicate keys refused, and the series' attributes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import GapMethodConfig
from orchestration.gap_method.cube import (
    build_cube,
    catalogue_frame,
    observations,
    refuse_duplicates,
    series_table,
    year_axis,
)
from tests.unit.gap_method.builders import catalogue, values_frame

NAN = float("nan")


def test_the_catalogue_gets_its_optional_columns_and_string_ids():
    frame = catalogue_frame(
        pd.DataFrame(
            {
                "indicator_id": [7],
                "direction_sign": [1],
                "target_type": ["direction"],
                "target_value": [NAN],
                "target_year": [2030],
                "baseline_year": [2017],
            }
        )
    )
    assert frame.loc[0, "indicator_id"] == "7"
    assert frame.loc[0, "measure"] == "intensive" and frame.loc[0, "scale"] is None
    assert np.isnan(frame.loc[0, "natural_max"])
    with pytest.raises(ValueError, match=r"unknown target_type\(s\) \['someday'\]"):
        catalogue_frame(catalogue({"indicator_id": "i", "target_type": "someday"}))


def test_values_without_a_catalogue_row_and_nan_values_are_dropped():
    values = values_frame(
        {
            ("known", "0018", "T"): {2017: 1.0, 2018: NAN},
            ("unknown", "0018", "T"): {2017: 2.0},
        }
    )
    obs = observations(values, catalogue_frame(catalogue({"indicator_id": "known"})))
    assert list(obs.value) == [1.0] and list(obs.year) == [2017]
    assert list(obs.labels[0]) == ["known", "unknown"]  # codes of every label in the input


def test_the_year_axis_reaches_back_to_the_earliest_catalogue_baseline_year():
    years = year_axis(np.array([2019, 2018, 2020]), pd.Series([2017, 2005]))
    assert (years[0], years[-1], len(years)) == (2005, 2020, 16)
    assert list(year_axis(np.array([], dtype=np.int64), pd.Series([2017]))) == [0]


def test_the_series_are_numbered_in_key_order():
    values = values_frame(
        {
            ("b", "0018", "T"): {2017: 1.0},
            ("a", "1880", "K"): {2017: 1.0},
            ("a", "0018", "T"): {2017: 1.0, 2018: 2.0},
        }
    )
    obs = observations(values, catalogue_frame(catalogue(*({"indicator_id": i} for i in "ab"))))
    table, series_flat = series_table(obs)
    assert len(series_flat) == 3 and (table >= 0).sum() == 3
    # (a, 0018, T), (a, 1880, K), (b, 0018, T)
    placed = obs.in_series_order(table, 2017)
    assert list(placed.series) == [0, 0, 1, 2] and list(placed.col) == [0, 1, 0, 0]


def test_duplicate_keys_are_refused_naming_them():
    twice = pd.concat([values_frame({("i", "0018", "T"): {2017: 1.0, 2018: 2.0}})] * 2)
    obs = observations(twice, catalogue_frame(catalogue({"indicator_id": "i"})))
    table, _ = series_table(obs)
    with pytest.raises(ValueError, match=r"duplicate values for \[\{'indicator_id': 'i'"):
        refuse_duplicates(obs.in_series_order(table, 2017), 2)


def test_each_series_carries_its_catalogue_fields_and_geography():
    cube = build_cube(
        values_frame({("i", "1880", "T"): {2019: 1.0}, ("i", "0018", "T"): {2019: 2.0}}),
        catalogue({"indicator_id": "i", "baseline_year": NAN, "target_type": "absolute"}),
        None,
        GapMethodConfig(),
    )
    s = cube.series.set_index("geography_code")
    # No baseline year in the catalogue: the default 2017, which the year axis reaches.
    assert list(s["baseline_year"]) == [2017, 2017] and cube.years[0] == 2017
    assert (s.loc["1880", "level"], s.loc["1880", "lan_code"]) == ("kommun", "0018")
    assert (s.loc["0018", "level"], s.loc["0018", "target_type"]) == ("lan", "absolute")
