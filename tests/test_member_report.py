"""``members_report``: the engine over some members only gives them exactly what ``team_report`` gives them.

A hand-built team with every rule the figures and flags depend on (docs/rules.md, "Workload (exact)",
"Covers", "Flags (exact)"), checked member by member and for a pair; then random plans (Hypothesis); then
the number of queries, the same at two team sizes.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assignments.flags import FlagKind
from assignments.member_report import members_report
from assignments.models import Assignment, Cover, DualRoleAcknowledgement, Task
from assignments.report import team_report
from assignments.workload_rows import read_members_window
from roles.models import Role, RoleHolding, Team, TeamMember, TimeOff
from tests.factories import (
    MONDAY,
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
)

W1 = MONDAY  # 2026-11-30
WINDOWS = [(W1, 6), (W1 + datetime.timedelta(days=10), 3), (W1 - datetime.timedelta(days=35), 10)]


def day(offset: int) -> datetime.date:
    return W1 + datetime.timedelta(days=offset)


def names_one_of(flag, ids) -> bool:
    return getattr(getattr(flag, "member", None), "id", None) in ids


def concerns(occurrence, ids) -> bool:
    return occurrence.member.id in ids or (occurrence.covered_by is not None and occurrence.covered_by.id in ids)


def occurrence_key(occurrence) -> tuple:
    covered_by = occurrence.covered_by.id if occurrence.covered_by else 0
    return (occurrence.date, occurrence.task.id, occurrence.member.id, occurrence.counted, covered_by)


def assert_same_as_the_team(team, ids, start, weeks, occurrences_of=None):
    """``members_report`` for ``ids`` equals ``team_report`` restricted to them: figures, flags, occurrences."""
    full = team_report(team=team, start=start, weeks=weeks, occurrences_of=occurrences_of)
    part = members_report(team=team, member_ids=ids, start=start, weeks=weeks, occurrences_of=occurrences_of)
    assert part.workload.weeks == full.workload.weeks
    assert part.workload.members == [w for w in full.workload.members if w.member.id in ids]
    expected_flags = [flag for flag in full.flags if names_one_of(flag, ids)]
    assert part.flags == expected_flags
    assert [flag.as_json() for flag in part.flags] == [flag.as_json() for flag in expected_flags]
    expected_occurrences = [o for o in full.workload.occurrences if concerns(o, ids)]
    assert sorted(part.workload.occurrences, key=occurrence_key) == sorted(expected_occurrences, key=occurrence_key)
    # The totals are the listed members' weeks added up (rule 9 over the subset).
    for index, total in enumerate(part.workload.totals):
        listed = [w.weeks[index] for w in part.workload.members]
        assert total.operational_hours == sum(week.operational_hours for week in listed)
        assert total.strategic_hours == sum(week.strategic_hours for week in listed)
        assert total.capacity_hours == sum(week.capacity_hours for week in listed)
    assert part.workload.assigned_shares == {}
    return part


# ------------------------------------------------------------------ a team with every case


@pytest.fixture
def plan(db):
    """Ann holds both kinds of role (acknowledged) and is away; Budi covers her and is away one of those days;
    Cita holds a role nobody else holds and is squeezed; Dedi (capacity 0) is away and covered by Ann and by
    Gita, who is away herself one day; Eka left (her holding and shares count nowhere); Fajar alone holds a
    role no task uses."""
    team = make_team()
    op, op_single, strat, strat_unheld = (
        make_role(Role.Focus.OPERATIONAL, slug="op"),
        make_role(Role.Focus.OPERATIONAL, slug="op-single"),
        make_role(Role.Focus.STRATEGIC, slug="strat"),
        make_role(Role.Focus.STRATEGIC, slug="strat-unheld"),
    )
    ann = make_member(team, full_name="Ann", email="ann@example.com")
    budi = make_member(team, full_name="Budi", email="budi@example.com")
    cita = make_member(team, full_name="Cita", email="cita@example.com", weekly_capacity_hours=Decimal(20))
    dedi = make_member(team, full_name="Dedi", email="dedi@example.com", weekly_capacity_hours=Decimal(0))
    eka = make_member(team, full_name="Eka", email="eka@example.com", is_active=False)
    fajar = make_member(team, full_name="Fajar", email="fajar@example.com")
    gita = make_member(team, full_name="Gita", email="gita@example.com", weekly_capacity_hours=Decimal(32))
    outsider = make_member(make_team(), full_name="Out", email="out@example.com")

    make_holding(ann, op, start_date=day(-100))
    make_holding(ann, strat, start_date=day(14), end_date=day(20))  # explicit dual role, from the third week
    make_holding(ann, strat, start_date=day(30))  # the same role twice counts once
    make_holding(budi, op, start_date=day(-5), end_date=day(60))
    make_holding(cita, op_single, start_date=day(0))
    make_holding(cita, strat, start_date=day(0))
    make_holding(eka, op_single, start_date=day(0))  # left: not a second holder
    make_holding(outsider, op_single, start_date=day(0))  # another team: not a second holder
    make_holding(gita, strat, start_date=day(-30), end_date=day(-1))  # ended before most windows
    make_holding(fajar, make_role(Role.Focus.STRATEGIC, slug="idle"), start_date=day(0))  # no task uses it
    DualRoleAcknowledgement.objects.create(member=ann)
    DualRoleAcknowledgement.objects.create(member=budi, valid_until=day(10))  # runs out inside the window

    daily = make_task(team, op, title="Daily posting", cadence=Task.Cadence.DAILY, effort_hours=Decimal("2.00"))
    weekly = make_task(
        team,
        strat,
        title="Weekly strategy",
        cadence=Task.Cadence.WEEKLY,
        effort_hours=Decimal("3.00"),
        start_date=day(-2),  # a Saturday: weekend work
    )
    monthly = make_task(
        team,
        op_single,
        title="Monthly report",
        cadence=Task.Cadence.MONTHLY,
        effort_hours=Decimal("5.00"),
        start_date=datetime.date(2026, 10, 31),  # the 31st: the last day of shorter months
    )
    once = make_task(
        team,
        strat,
        title="Launch plan",
        cadence=Task.Cadence.ONCE,
        effort_hours=Decimal("10.00"),
        start_date=day(1),
        end_date=day(3),  # 10/3 h a day
    )
    heavy = make_task(team, op, title="Community", cadence=Task.Cadence.DAILY, effort_hours=Decimal("8.00"))
    unheld = make_task(team, strat_unheld, title="Research", cadence=Task.Cadence.WEEKLY, start_date=day(2))
    archived = make_task(team, op, title="Archived", is_active=False)
    ended = make_task(team, op, title="Ended", start_date=day(-60), end_date=day(-40))

    ann_daily = make_assignment(daily, ann, share_percent=60, end_date=day(30))
    make_assignment(daily, budi, share_percent=40, start_date=day(7))
    make_assignment(weekly, ann, share_percent=50)
    make_assignment(weekly, cita, share_percent=10)
    make_assignment(monthly, cita)
    make_assignment(once, ann, share_percent=75)
    make_assignment(heavy, budi, share_percent=100)
    make_assignment(heavy, cita, share_percent=30, start_date=day(14), end_date=day(27))  # over in those weeks
    dedi_daily = make_assignment(unheld, dedi, share_percent=50)
    dedi_heavy = make_assignment(make_task(team, op, title="Replies", effort_hours=Decimal("1.50")), dedi)
    make_assignment(monthly, eka, share_percent=40)  # left: counts nowhere
    make_assignment(archived, ann)
    make_assignment(ended, budi)

    make_time_off(ann, day(3), day(4))  # Thursday, Friday of W1
    make_time_off(ann, day(19), day(19))  # a Saturday in W3: the weekly strategy task is uncovered
    make_time_off(budi, day(4), day(4))  # the Friday: Ann's Friday stays uncovered
    make_time_off(dedi, day(7), day(13))  # all of W2
    make_time_off(gita, day(9), day(9))
    make_time_off(outsider, day(0), day(30))
    Cover.objects.create(assignment=ann_daily, member=budi, start_date=day(3), end_date=day(4))
    Cover.objects.create(assignment=dedi_heavy, member=ann, start_date=day(7), end_date=day(10))
    Cover.objects.create(assignment=dedi_heavy, member=gita, start_date=day(11), end_date=day(13))
    Cover.objects.create(assignment=dedi_daily, member=gita, start_date=day(7), end_date=day(13))
    Cover.objects.create(assignment=dedi_daily, member=eka, start_date=day(14), end_date=day(20))  # left: ignored
    members = {"ann": ann, "budi": budi, "cita": cita, "dedi": dedi, "eka": eka, "fajar": fajar, "gita": gita}
    return team, members


def test_the_plan_has_every_kind_of_flag_about_a_member(plan):
    team, _members = plan
    kinds = {flag.kind for flag in team_report(team=team, start=W1, weeks=6).flags}
    assert kinds >= {
        FlagKind.DUAL_ROLE,
        FlagKind.OVER_ALLOCATED,
        FlagKind.STRATEGY_SQUEEZED,
        FlagKind.SINGLE_HOLDER,
        FlagKind.DUTY_UNCOVERED,
        FlagKind.ROLE_UNCOVERED,
        FlagKind.TASK_UNASSIGNED,
    }


@pytest.mark.parametrize(("start", "weeks"), WINDOWS)
@pytest.mark.parametrize("name", ["ann", "budi", "cita", "dedi", "eka", "fajar", "gita"])
def test_one_member_gets_what_the_team_report_gives_them(plan, name, start, weeks):
    team, members = plan
    member = members[name]
    part = assert_same_as_the_team(team, {member.pk}, start, weeks)
    assert_same_as_the_team(team, {member.pk}, start, weeks, occurrences_of=member.pk)
    assert [w.member.id for w in part.workload.members] == ([] if name == "eka" else [member.pk])


@pytest.mark.parametrize(("start", "weeks"), WINDOWS)
@pytest.mark.parametrize("pair", [("ann", "dedi"), ("budi", "cita"), ("gita", "eka"), ("fajar", "ann")])
def test_two_members_get_what_the_team_report_gives_them(plan, pair, start, weeks):
    team, members = plan
    ids = {members[name].pk for name in pair}
    part = assert_same_as_the_team(team, ids, start, weeks, occurrences_of=members[pair[0]].pk)
    names = [w.member.name for w in part.workload.members]
    assert names == sorted(names)  # the engine's order: name, then email


def test_the_whole_team_asked_for_is_the_team_report(plan):
    team, members = plan
    full = team_report(team=team, start=W1, weeks=6)
    part = members_report(team=team, member_ids={m.pk for m in members.values()}, start=W1, weeks=6)
    assert part.workload.members == full.workload.members
    assert part.workload.totals == full.workload.totals
    named = [flag for flag in full.flags if flag.kind not in (FlagKind.ROLE_UNCOVERED, FlagKind.TASK_UNASSIGNED)]
    assert part.flags == named


def test_the_checks_see_what_the_plan_holds(plan):
    """The plan's cases are really there: a cover by a member, an uncovered day, a single holder."""
    team, members = plan
    ann = members["ann"].pk
    part = members_report(team=team, member_ids={ann}, start=W1, weeks=6, occurrences_of=ann)
    covered_for_others = [o for o in part.workload.occurrences if o.covered_by and o.covered_by.id == ann]
    assert {o.member.name for o in covered_for_others} == {"Dedi"}
    assert {flag.kind for flag in part.flags} == {FlagKind.DUAL_ROLE, FlagKind.DUTY_UNCOVERED}
    cita = members_report(team=team, member_ids={members["cita"].pk}, start=W1, weeks=6)
    assert {flag.kind for flag in cita.flags} >= {FlagKind.SINGLE_HOLDER, FlagKind.STRATEGY_SQUEEZED}


def test_it_reads_their_rows_and_those_their_covers_need_only(plan):
    """Ann's rows, her substitute Budi's and Dedi's (whom she covers): members and time off; of the
    assignments, hers and the one of Dedi's she covers; of the holdings, hers."""
    team, members = plan
    ann, budi, dedi = members["ann"], members["budi"], members["dedi"]
    rows, single_held = read_members_window(team=team, member_ids={ann.pk}, start=W1, end=day(41))
    assert sorted(row[2] for row in rows.members) == ["Ann", "Budi", "Dedi"]
    assert sorted(row[0] for row in rows.time_off) == sorted([ann.pk, ann.pk, budi.pk, dedi.pk])
    assert {row[0] for row in rows.holdings} == {ann.pk}
    titles = {row[0]: row[1] for row in rows.tasks}
    read = sorted((titles[row[0]], row[1]) for row in rows.assignments)
    theirs = [("Daily posting", ann.pk), ("Launch plan", ann.pk), ("Weekly strategy", ann.pk)]
    assert read == sorted([*theirs, ("Replies", dedi.pk)])
    assert sorted((row[1], row[2]) for row in rows.covers) == sorted([(ann.pk, budi.pk), (dedi.pk, ann.pk)])
    assert single_held == set()


def test_occurrences_of_must_be_one_of_the_members(plan):
    team, members = plan
    with pytest.raises(ValueError, match="occurrences_of"):
        members_report(team=team, member_ids={members["ann"].pk}, start=W1, weeks=1, occurrences_of=0)


# ------------------------------------------------------------------ queries


def grow(team, roles, size):
    """``size`` more members, each with holdings, time off, daily and one-off work, and a colleague covering them."""
    previous = None
    for n in range(size):
        member = make_member(team)
        make_holding(member, roles[n % 2])
        make_time_off(member, W1, W1 + datetime.timedelta(days=1))
        assignment = make_assignment(make_task(team, roles[n % 2], cadence="daily"), member, share_percent=60)
        once = make_task(team, roles[1], cadence=Task.Cadence.ONCE, start_date=W1, end_date=day(9))
        make_assignment(once, member, share_percent=50)
        if previous is not None:
            Cover.objects.create(assignment=assignment, member=previous, start_date=W1, end_date=W1)
        previous = member
    return previous


@pytest.mark.django_db
def test_members_report_runs_seven_queries_whatever_the_team_size():
    team = make_team()
    roles = [make_role(Role.Focus.OPERATIONAL), make_role(Role.Focus.STRATEGIC)]
    counts = []
    for size in (2, 15):
        me = grow(team, roles, size)
        with CaptureQueriesContext(connection) as queries:
            report = members_report(team=team, member_ids={me.pk}, start=W1, weeks=8, occurrences_of=me.pk)
        counts.append(len(queries))
        assert [w.member.id for w in report.workload.members] == [me.pk]
    assert counts == [7, 7]


# ------------------------------------------------------------------ random plans

OFFSETS = st.integers(min_value=-40, max_value=60)


@st.composite
def plans(draw):
    """A team's plan as plain values: members, holdings, time off, tasks, assignments, covers, acknowledgements.

    Time off of one person and covers of one assignment never overlap (PostgreSQL refuses it)."""
    size = draw(st.integers(min_value=2, max_value=6))
    members = [
        {
            "capacity": draw(st.sampled_from([0, 8, 20, 32, 40])),
            "active": draw(st.sampled_from([True, True, True, False])),
            "holdings": draw(
                st.lists(st.tuples(st.integers(0, 3), OFFSETS, st.none() | st.integers(0, 40)), max_size=3)
            ),
            "time_off": draw(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 9)), max_size=3)),
            "acknowledged": draw(st.none() | st.sampled_from(["open", "until", "withdrawn"])),
        }
        for _ in range(size)
    ]
    tasks = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        cadence = draw(st.sampled_from(["daily", "weekly", "monthly", "once"]))
        length = draw(st.integers(0, 30) if cadence == "once" else st.none() | st.integers(0, 60))
        assignees = draw(st.lists(st.integers(0, size - 1), unique=True, max_size=size))
        tasks.append(
            {
                "role": draw(st.integers(0, 3)),
                "cadence": cadence,
                "effort": draw(st.sampled_from(["0.25", "1.00", "2.50", "7.75"])),
                "start": draw(OFFSETS),
                "length": length,
                "active": draw(st.sampled_from([True, True, True, False])),
                "assignments": [
                    {
                        "member": index,
                        "share": draw(st.integers(1, 100)),
                        "start": draw(st.none() | OFFSETS),
                        "length": draw(st.none() | st.integers(0, 40)),
                        "covers": draw(
                            st.lists(
                                st.tuples(st.integers(0, size - 1), st.integers(0, 20), st.integers(0, 9)), max_size=2
                            )
                        ),
                    }
                    for index in assignees
                ],
            }
        )
    window = (draw(st.integers(-14, 28)), draw(st.integers(1, 8)))
    return {"members": members, "tasks": tasks, "window": window}


def in_sequence(stretches, first: int) -> list[tuple[int, int]]:
    """(gap, length) pairs laid one after another from day ``first``: (start, end) offsets that never overlap."""
    laid, cursor = [], first
    for gap, length in stretches:
        start = cursor + gap
        laid.append((start, start + length))
        cursor = start + length + 1
    return laid


def build(plan, roles) -> tuple[Team, list[TeamMember]]:
    team = Team.objects.create(name="Random", slug="random")
    members = []
    for n, spec in enumerate(plan["members"]):
        member = TeamMember.objects.create(
            team=team,
            full_name=f"Person {n % 3}",  # equal names: the email decides the order
            email=f"p{n}@example.com",
            weekly_capacity_hours=Decimal(spec["capacity"]),
            is_active=spec["active"],
        )
        members.append(member)
        for role, start, length in {role: (role, start, length) for role, start, length in spec["holdings"]}.values():
            end = None if length is None else day(start + length)
            RoleHolding.objects.create(member=member, role=roles[role], start_date=day(start), end_date=end)
        for start, end in in_sequence(spec["time_off"], -20):
            TimeOff.objects.create(member=member, start_date=day(start), end_date=day(end))
        if spec["acknowledged"]:
            DualRoleAcknowledgement.objects.create(
                member=member,
                valid_until=day(20) if spec["acknowledged"] == "until" else None,
                withdrawn_at=datetime.datetime.now(datetime.UTC) if spec["acknowledged"] == "withdrawn" else None,
            )
    for n, spec in enumerate(plan["tasks"]):
        task = Task.objects.create(
            team=team,
            role=roles[spec["role"]],
            title=f"Task {n}",
            cadence=spec["cadence"],
            effort_hours=Decimal(spec["effort"]),
            start_date=day(spec["start"]),
            end_date=None if spec["length"] is None else day(spec["start"] + spec["length"]),
            is_active=spec["active"],
        )
        for row in spec["assignments"]:
            start = None if row["start"] is None else day(row["start"])
            end = (
                None
                if row["length"] is None
                else day((spec["start"] if row["start"] is None else row["start"]) + row["length"])
            )
            assignment = Assignment.objects.create(
                task=task, member=members[row["member"]], share_percent=row["share"], start_date=start, end_date=end
            )
            substitutes = [substitute for substitute, _gap, _length in row["covers"]]
            laid = in_sequence([(gap, length) for _substitute, gap, length in row["covers"]], -10)
            for substitute, (first, last) in zip(substitutes, laid, strict=True):
                if substitute != row["member"]:
                    Cover.objects.create(
                        assignment=assignment, member=members[substitute], start_date=day(first), end_date=day(last)
                    )
    return team, members


class RandomPlansTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.roles = [
            Role.objects.create(name="Op A", slug="op-a", focus="operational"),
            Role.objects.create(name="Op B", slug="op-b", focus="operational"),
            Role.objects.create(name="Strat A", slug="strat-a", focus="strategic"),
            Role.objects.create(name="Strat B", slug="strat-b", focus="strategic"),
        ]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plan=plans(), pair=st.tuples(st.integers(0, 5), st.integers(0, 5)))
    def test_every_member_and_a_pair_get_what_the_team_report_gives_them(self, plan, pair):
        team, members = build(plan, self.roles)
        offset, weeks = plan["window"]
        start = day(offset)
        for member in members:
            assert_same_as_the_team(team, {member.pk}, start, weeks, occurrences_of=member.pk)
        ids = {members[index % len(members)].pk for index in pair}
        assert_same_as_the_team(team, ids, start, weeks)
