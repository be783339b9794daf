import datetime

import pytest

from core.school_years import recent_school_years, school_year_bounds, school_year_for
from hours.stars import star_level_for_minutes


def test_31_august_and_1_september_fall_in_different_school_years():
    assert school_year_for(datetime.date(2027, 8, 31)) == "2026-2027"
    assert school_year_for(datetime.date(2027, 9, 1)) == "2027-2028"


def test_bounds_and_bad_names():
    assert school_year_bounds("2026-2027") == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    for bad in ("2026-2028", "2026/2027", "", "abcd-efgh"):
        with pytest.raises(ValueError):
            school_year_bounds(bad)
    assert recent_school_years(2, today=datetime.date(2026, 11, 29)) == ["2026-2027", "2025-2026"]


@pytest.mark.parametrize(
    ("hours", "stars"), [(0, 0), (99.9, 0), (100, 1), (299, 1), (300, 2), (600, 3), (1000, 4), (1500, 5), (9999, 5)]
)
def test_star_levels_follow_the_thresholds(hours, stars):
    assert star_level_for_minutes(round(hours * 60)).stars == stars


def test_hours_to_next_star():
    level = star_level_for_minutes(250 * 60)
    assert level.next_threshold_hours == 300 and level.hours_to_next == 50
    assert star_level_for_minutes(1600 * 60).hours_to_next is None
