"""The member chart's axis: a "nice" step (1, 2, 5 × 10^n hours) and a handful of grid lines, whatever the hours."""

from fractions import Fraction

import pytest
from django.utils import translation

from assignments.loads import WeekLoad
from assignments.selectors.chart import MAX_GRID_LINES, axis_step, workload_chart
from tests.factories import MONDAY

HOURS = [Fraction(0), Fraction(1, 2), Fraction(40), Fraction(168), Fraction("9999.99") * 7]


@pytest.mark.parametrize(
    ("highest", "step"),
    [(0, 1), (Fraction(1, 2), 1), (7, 1), (8, 2), (44, 10), (Fraction("184.8"), 50), (76999, 20000)],
)
def test_axis_step_is_the_smallest_nice_number_that_fits_in_seven_intervals(highest, step):
    assert axis_step(Fraction(highest)) == step


def test_axis_step_is_one_two_or_five_times_a_power_of_ten():
    steps = {axis_step(Fraction(hours)) for hours in range(0, 100_000, 37)}
    assert all(str(step).lstrip("125").strip("0") == "" and str(step)[0] in "125" for step in steps)


@pytest.mark.parametrize("hours", HOURS, ids=str)
def test_chart_has_at_most_eight_grid_lines_whatever_the_hours(hours):
    chart = workload_chart([WeekLoad(MONDAY, hours, Fraction(0), Fraction(40))])
    assert 2 <= len(chart.gridlines) <= MAX_GRID_LINES


@pytest.mark.parametrize("hours", HOURS, ids=str)
def test_chart_axis_reaches_above_the_highest_bar_and_the_capacity(hours):
    chart = workload_chart([WeekLoad(MONDAY, hours, Fraction(0), Fraction(40))])
    assert chart.gridlines[-1].hours >= max(hours, 40)
    assert all(bar.strategic_y >= chart.top and bar.capacity_y >= chart.top for bar in chart.bars)


@pytest.mark.parametrize(("language", "label"), [("en", "20,000"), ("id", "20.000")])
def test_chart_labels_large_hours_with_the_languages_thousands_separator(language, label):
    with translation.override(language):
        chart = workload_chart([WeekLoad(MONDAY, Fraction(70_000), Fraction(0), Fraction(40))])
    assert [line.hours for line in chart.gridlines] == [0, 20_000, 40_000, 60_000, 80_000]
    assert chart.gridlines[1].label == label


def test_chart_leaves_room_left_of_the_axis_for_long_labels():
    small = workload_chart([WeekLoad(MONDAY, Fraction(10), Fraction(0), Fraction(40))])
    large = workload_chart([WeekLoad(MONDAY, Fraction(70_000), Fraction(0), Fraction(40))])
    assert large.left > small.left
    assert all(bar.x >= large.left for bar in large.bars)
