"""Handing a task over (``assignment_hand_over``): the same share to someone else, all or nothing."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from assignments.handover import assignment_hand_over
from assignments.models import Assignment
from tests.factories import MONDAY, make_assignment, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    team = make_team()
    task = make_task(team, cadence="weekly", start_date=MONDAY)
    people = {name: make_member(team, full_name=name) for name in ("Ana", "Bea", "Cai")}
    ana = make_assignment(task, people["Ana"], share_percent=60, end_date=MONDAY + datetime.timedelta(days=27))
    make_assignment(task, people["Bea"], share_percent=40)
    return task, people, ana


def shares(task):
    return sorted(task.assignments.values_list("member__full_name", "share_percent"))


def test_hand_over_moves_the_share_and_dates_to_the_new_person(plan):
    task, people, ana = plan
    boss = make_user()
    moved = assignment_hand_over(assignment=ana, to_member=people["Cai"], assigned_by=boss)
    assert shares(task) == [("Bea", 40), ("Cai", 60)]  # still 100 in all
    assert (moved.start_date, moved.end_date, moved.assigned_by) == (None, ana.end_date, boss)
    assert not Assignment.objects.filter(pk=ana.pk).exists()


def test_hand_over_to_someone_already_on_the_task_is_refused_and_changes_nothing(plan):
    task, people, ana = plan
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=people["Bea"])
    assert refused.value.message_dict == {"to_member": ["Bea is already assigned to this task."]}
    assert shares(task) == [("Ana", 60), ("Bea", 40)]


def test_hand_over_to_the_same_person_is_refused(plan):
    _task, people, ana = plan
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=people["Ana"])
    assert refused.value.message_dict == {"to_member": ["Ana is already assigned to this task."]}
    assert Assignment.objects.filter(pk=ana.pk).exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("inactive", "Gone is not an active team member."),
        ("other team", "Out is not in this task's team."),
    ],
)
def test_refused_new_assignment_puts_the_old_one_back(plan, who, message):
    """The old assignment is deleted first; the refusal of the new one rolls that back: nothing changes."""
    task, _people, ana = plan
    to = (
        make_member(task.team, full_name="Gone", is_active=False) if who == "inactive" else make_member(full_name="Out")
    )
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=to)
    assert refused.value.message_dict == {"to_member": [message]}
    kept = Assignment.objects.get(pk=ana.pk)
    assert (kept.member.full_name, kept.share_percent, kept.end_date) == ("Ana", 60, ana.end_date)
    assert shares(task) == [("Ana", 60), ("Bea", 40)]


def test_shares_stay_at_most_100_when_a_share_that_counted_nowhere_moves(plan):
    """Ana left (her 60 % counts nowhere) and Cai took 50 %: 40 + 50 + 60 would be 150, so it is refused."""
    task, people, ana = plan
    people["Ana"].is_active = False
    people["Ana"].save()
    make_assignment(task, people["Cai"], share_percent=50)
    dan = make_member(task.team, full_name="Dan")
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=dan)
    assert refused.value.message_dict == {"share_percent": ["Only 10 % of this task is left to assign."]}
    assert shares(task) == [("Ana", 60), ("Bea", 40), ("Cai", 50)]


def test_a_share_of_someone_who_left_moves_to_an_active_member_when_it_fits(plan):
    task, people, ana = plan
    people["Ana"].is_active = False
    people["Ana"].save()
    assignment_hand_over(assignment=ana, to_member=people["Cai"])
    assert shares(task) == [("Bea", 40), ("Cai", 60)]


def test_hand_over_of_an_assignment_removed_meanwhile_is_an_error_not_a_crash(plan):
    task, people, ana = plan
    Assignment.objects.filter(pk=ana.pk).delete()
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=people["Cai"])
    assert refused.value.messages == ["This assignment was removed meanwhile."]
    assert shares(task) == [("Bea", 40)]


def test_hand_over_on_an_archived_task_is_refused(plan):
    task, people, ana = plan
    task.is_active = False
    task.save()
    with pytest.raises(ValidationError) as refused:
        assignment_hand_over(assignment=ana, to_member=people["Cai"])
    assert refused.value.messages == ["This task is archived."]
    assert shares(task) == [("Ana", 60), ("Bea", 40)]


@pytest.mark.django_db(transaction=True)
def test_two_managers_handing_the_same_task_over_at_once_move_it_once(on_postgres):
    """Both read the assignment, then hand it over at the same moment: the second waits on the task's lock,
    then finds it gone; the task ends with one new holder and its shares still add up to 100."""
    task = make_task(cadence="weekly", start_date=MONDAY)
    ana = make_assignment(task, make_member(task.team, full_name="Ana"), share_percent=60)
    make_assignment(task, make_member(task.team, full_name="Bea"), share_percent=40)
    takers = [make_member(task.team, full_name="Cai"), make_member(task.team, full_name="Dan")]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def hand_over(member):
        try:
            barrier.wait()
            assignment_hand_over(assignment=ana, to_member=member)
            outcomes.append("moved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=hand_over, args=(member,)) for member in takers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["This assignment was removed meanwhile.", "moved"]
    assert sum(task.assignments.values_list("share_percent", flat=True)) == 100
    assert task.assignments.count() == 2
