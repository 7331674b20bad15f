"""A calendar feed, expanded by a calendar library, gives exactly the workload engine's days and hours.

The feed is fetched through its URL (no login), expanded with ``recurring_ical_events`` over 26 weeks, and
compared day by day with the engine's occurrences for the same people: their own duties (not on their days
away), the duties they cover for someone away, and their time off (docs/rules.md, "Calendar feeds").
"""

import datetime
from collections import Counter
from decimal import Decimal

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from assignments.formatting import hours_text
from assignments.models import Cover
from assignments.workload import team_workload
from feeds.services import feed_address_replace
from roles.models import Role
from tests.factories import make_assignment, make_member, make_role, make_task, make_team, make_time_off, make_user

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 10, 26)  # a Monday
WEEKS = 26  # to 25 April 2027: a February, month ends of 30 and 31 days, a new year
END = START + datetime.timedelta(weeks=WEEKS)  # exclusive
D = datetime.date


@pytest.fixture
def plan():
    """Ann's work of every shape, Citra's duty Ann covers while Citra is away, and Ann's duty Budi covers."""
    team = make_team(slug="feeds")
    operational, strategic = make_role(), make_role(focus=Role.Focus.STRATEGIC, name="Strategist")
    ann = make_member(team, full_name="Ann", user=make_user())  # a member's feed opens for an active login
    budi = make_member(team, full_name="Budi", user=make_user())
    citra = make_member(team, full_name="Citra", user=make_user())

    def task(title, cadence, start, end=None, effort="1.00", role=operational, **extra):
        return make_task(
            team,
            role,
            title=title,
            cadence=cadence,
            start_date=start,
            end_date=end,
            effort_hours=Decimal(effort),
            **extra,
        )

    make_assignment(task("Monthly report", "monthly", D(2026, 10, 31), effort="2.00", role=strategic), ann)
    make_assignment(task("Thirtieth", "monthly", D(2027, 1, 30), D(2027, 4, 15)), ann, share_percent=30)
    saturday = task("Saturday post", "weekly", D(2026, 11, 28), effort="1.50")
    make_assignment(saturday, ann, share_percent=50)
    make_assignment(saturday, budi, share_percent=50)
    # an assignment that starts (and ends) inside the task's dates
    make_assignment(task("Replies", "daily", D(2026, 11, 2)), ann, start_date=D(2026, 12, 9), end_date=D(2027, 3, 3))
    make_assignment(task("Launch", "once", D(2026, 12, 3), D(2026, 12, 7), effort="10.00"), ann)  # 10/3 h a day
    make_assignment(task("Weekend shoot", "once", D(2027, 1, 9), D(2027, 1, 10), effort="4.00"), ann)  # on Sunday
    make_assignment(task("New year", "daily", D(2026, 12, 30), D(2027, 1, 8), effort="0.75"), ann)  # starts away
    make_assignment(task("Old", "daily", D(2026, 11, 2), is_active=False), ann)  # archived: nowhere
    community = make_assignment(task("Community", "daily", D(2026, 11, 2), effort="2.00"), citra, share_percent=80)
    mine = make_assignment(task("Analytics", "weekly", D(2026, 11, 4), effort="3.00", role=strategic), ann)
    # Ann away across a month end, and one more day; Citra away a week; Budi away one of Ann's days away
    make_time_off(ann, D(2026, 12, 30), D(2027, 1, 4))
    make_time_off(ann, D(2027, 1, 20), D(2027, 1, 20))
    make_time_off(ann, D(2027, 3, 1), D(2027, 3, 12), reason="")
    make_time_off(citra, D(2027, 1, 18), D(2027, 1, 22))
    make_time_off(budi, D(2027, 3, 10), D(2027, 3, 10))
    Cover.objects.create(assignment=community, member=ann, start_date=D(2027, 1, 19), end_date=D(2027, 1, 21))
    Cover.objects.create(assignment=mine, member=budi, start_date=D(2027, 3, 1), end_date=D(2027, 3, 12))
    return team, {"ann": ann, "budi": budi, "citra": citra}


def fetch(client, **owner) -> icalendar.Calendar:
    maker = make_user()
    if "team" in owner:
        owner["team"].managers.add(maker)  # a team's feed opens while its maker manages the team
    token = feed_address_replace(user=maker, language="en", **owner)[0].token
    response = client.get(reverse("feeds:calendar", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def expanded(calendar: icalendar.Calendar) -> tuple[Counter, set]:
    """(day, summary, hours) of every duty in the window, and (day, summary) of every day of time off."""
    duties, away = Counter(), set()
    for event in recurring_ical_events.of(calendar).between(START, END):
        first, end = event["DTSTART"].dt, event["DTEND"].dt
        assert isinstance(first, datetime.date) and not isinstance(first, datetime.datetime)  # all-day
        if "X-TEAMPLANNER-HOURS" in event:
            assert end == first + datetime.timedelta(days=1)
            duties[(first, str(event["SUMMARY"]), str(event["X-TEAMPLANNER-HOURS"]))] += 1
        else:
            away.update((first + datetime.timedelta(days=n), str(event["SUMMARY"])) for n in range((end - first).days))
    return duties, {(day, summary) for day, summary in away if START <= day < END}


def engine_duties(team, member, *, named: bool) -> Counter:
    """The engine's occurrences that count for ``member``: their own, and those they cover for someone away."""
    occurrences = team_workload(team=team, start=START, weeks=WEEKS, occurrences_of=member.pk).occurrences
    days = Counter()
    for occurrence in occurrences:
        title, who = occurrence.task.title, f" · {member.full_name}" if named else ""
        if occurrence.counted and occurrence.member.id == member.pk:
            days[(occurrence.date, f"{title}{who}", hours_text(occurrence.hours))] += 1
        elif occurrence.covered_by is not None and occurrence.covered_by.id == member.pk:
            days[(occurrence.date, f"{title}{who} (for {occurrence.member.name})", hours_text(occurrence.hours))] += 1
    return days


def days_off(member, summary: str) -> set:
    return {
        (off.start_date + datetime.timedelta(days=n), summary)
        for off in member.time_off.all()
        for n in range((off.end_date - off.start_date).days + 1)
        if START <= off.start_date + datetime.timedelta(days=n) < END
    }


@pytest.mark.parametrize("working_days", [(0, 1, 2, 3, 4), (6, 0, 1, 2, 3)], ids=["mon-fri", "sun-thu"])
@pytest.mark.parametrize("who", ["ann", "budi", "citra"])
def test_member_feed_expands_to_the_engines_days_and_hours(client, settings, plan, who, working_days):
    settings.TEAMPLANNER_WORKING_DAYS = working_days
    team, members = plan
    member = members[who]
    duties, away = expanded(fetch(client, member=member))
    assert duties == engine_duties(team, member, named=False)
    assert away == days_off(member, "Time off")


@pytest.mark.parametrize("working_days", [(0, 1, 2, 3, 4), (6, 0, 1, 2, 3)], ids=["mon-fri", "sun-thu"])
def test_team_feed_expands_to_every_members_days_and_hours(client, settings, plan, working_days):
    settings.TEAMPLANNER_WORKING_DAYS = working_days
    team, members = plan
    duties, away = expanded(fetch(client, team=team))
    expected, expected_away = Counter(), set()
    for member in members.values():
        expected += engine_duties(team, member, named=True)
        expected_away |= days_off(member, f"{member.full_name} · Time off")
    assert duties == expected
    assert away == expected_away


def test_the_comparison_sees_every_kind_of_day(client, plan):
    """The plan is not trivially equal: Ann's feed has covered, excluded, shortened and one-off days."""
    _team, members = plan
    duties, _away = expanded(fetch(client, member=members["ann"]))
    on = {(day, summary): hours for day, summary, hours in duties}
    assert on[(D(2026, 11, 30), "Monthly report")] == "2.00"  # the 31st in a month of 30 days
    assert on[(D(2027, 2, 28), "Monthly report")] == "2.00"
    assert on[(D(2027, 2, 28), "Thirtieth")] == "0.30"
    assert (D(2026, 12, 31), "Monthly report") not in on  # away
    assert on[(D(2026, 12, 5), "Saturday post")] == "0.75"
    assert (D(2027, 1, 2), "Saturday post") not in on  # away on a Saturday
    assert on[(D(2026, 12, 7), "Launch")] == "3.33"  # 10 h over three working days
    assert on[(D(2027, 1, 10), "Weekend shoot")] == "4.00"  # no working day: all on its end date
    assert (D(2026, 12, 8), "Replies") not in on and on[(D(2026, 12, 9), "Replies")] == "1.00"
    assert min(day for day, summary in on if summary == "New year") == D(2027, 1, 5)
    assert on[(D(2027, 1, 19), "Community (for Citra)")] == "1.60"
    assert (D(2027, 1, 20), "Community (for Citra)") not in on  # Ann is away herself
    assert (D(2027, 3, 3), "Analytics") not in on  # Budi covers it: in his feed, not hers


def test_recurring_duties_are_one_series_with_the_engines_rule(client, plan):
    _team, members = plan
    calendar = fetch(client, member=members["ann"])
    rules = {str(event["SUMMARY"]): event.get("RRULE") for event in calendar.walk("VEVENT")}
    assert rules["Monthly report"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    assert rules["Thirtieth"].to_ical() == b"FREQ=MONTHLY;UNTIL=20270415;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    assert rules["Saturday post"].to_ical() == b"FREQ=WEEKLY;BYDAY=SA"
    assert rules["Replies"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270303;BYDAY=MO,TU,WE,TH,FR"
    assert rules["Weekend shoot"] is None
    monthly = next(event for event in calendar.walk("VEVENT") if event["SUMMARY"] == "Monthly report")
    assert monthly["DTSTART"].dt == D(2026, 10, 31)
    assert D(2026, 12, 31) in [day.dt for day in monthly["EXDATE"].dts]
