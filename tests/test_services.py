"""Assignment rules a constraint cannot hold, enforced in services under a row lock."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from assignments.models import Assignment
from assignments.services import assignment_create, assignment_delete, assignment_update
from tests.factories import make_assignment, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db


def test_assignment_create_records_share_and_who_assigned():
    task = make_task()
    member = make_member(team=task.team)
    manager = make_user()
    assignment = assignment_create(task=task, member=member, share_percent=60, assigned_by=manager)
    assert (assignment.share_percent, assignment.assigned_by) == (60, manager)


def test_assignment_create_refuses_member_of_another_team():
    task = make_task()
    outsider = make_member(team=make_team())
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=outsider)
    assert "not in this task's team" in error.value.message_dict["member"][0]
    assert not Assignment.objects.exists()


def test_assignment_create_refuses_inactive_member():
    task = make_task()
    member = make_member(team=task.team, is_active=False)
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=member)
    assert "member" in error.value.message_dict


def test_assignment_create_refuses_archived_task():
    task = make_task(is_active=False)
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=make_member(team=task.team))
    assert "task" in error.value.message_dict


def test_assignment_create_refuses_shares_above_100_and_says_what_is_left():
    task = make_task()
    make_assignment(task, make_member(team=task.team), share_percent=70)
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=make_member(team=task.team), share_percent=40)
    assert error.value.message_dict["share_percent"] == ["Only 30 % of this task is left to assign."]
    assert Assignment.objects.count() == 1


def test_assignment_create_allows_exactly_100():
    task = make_task()
    make_assignment(task, make_member(team=task.team), share_percent=70)
    assignment_create(task=task, member=make_member(team=task.team), share_percent=30)
    assert sum(a.share_percent for a in task.assignments.all()) == 100


def test_assignment_create_on_fully_assigned_task_says_so():
    task = make_task()
    make_assignment(task, make_member(team=task.team), share_percent=100)
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=make_member(team=task.team), share_percent=1)
    assert error.value.message_dict["share_percent"] == ["This task is already fully assigned."]


def test_assignment_create_refuses_the_same_member_twice():
    task = make_task()
    member = make_member(team=task.team)
    make_assignment(task, member, share_percent=10)
    with pytest.raises(ValidationError) as error:
        assignment_create(task=task, member=member, share_percent=10)
    assert "already assigned" in error.value.message_dict["member"][0]


def test_assignment_update_counts_the_other_shares_only():
    task = make_task()
    first = make_assignment(task, make_member(team=task.team), share_percent=50)
    make_assignment(task, make_member(team=task.team), share_percent=40)
    assignment_update(assignment=first, share_percent=60)  # 60 + 40 = 100
    first.refresh_from_db()
    assert first.share_percent == 60
    with pytest.raises(ValidationError):
        assignment_update(assignment=first, share_percent=61)
    first.refresh_from_db()
    assert first.share_percent == 60


def test_assignment_update_checks_the_window():
    task = make_task()
    assignment = make_assignment(task, make_member(team=task.team))
    with pytest.raises(ValidationError) as error:
        assignment_update(
            assignment=assignment,
            share_percent=100,
            start_date=task.start_date.replace(day=10),
            end_date=task.start_date.replace(day=9),
        )
    assert error.value.message_dict


def test_assignment_delete_frees_the_share():
    task = make_task()
    assignment = make_assignment(task, make_member(team=task.team), share_percent=100)
    assignment_delete(assignment=assignment)
    assignment_create(task=task, member=make_member(team=task.team), share_percent=100)
    assert task.assignments.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_assignments_cannot_exceed_100(on_postgres):
    """Two transactions each asking for 60 % of the same task at once: exactly one wins."""
    task = make_task()
    members = [make_member(team=task.team), make_member(team=task.team)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def assign(member):
        try:
            barrier.wait()
            assignment_create(task=task, member=member, share_percent=60)
            outcomes.append("assigned")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=assign, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["assigned", "refused"]
    assert sum(task.assignments.values_list("share_percent", flat=True)) == 60


def test_changing_the_share_of_a_removed_assignment_does_not_bring_it_back():
    task = make_task()
    stale = make_assignment(task, make_member(team=task.team), share_percent=40)
    Assignment.objects.filter(pk=stale.pk).delete()  # another manager removed it meanwhile
    with pytest.raises(ValidationError, match="removed meanwhile"):
        assignment_update(assignment=stale, share_percent=50)
    assert not Assignment.objects.exists()


def test_archived_task_cannot_be_edited_or_its_shares_changed():
    from assignments.services import task_archive, task_update

    task = make_task()
    assignment = make_assignment(task, make_member(team=task.team), share_percent=40)
    task_archive(task=task)
    with pytest.raises(ValidationError, match="archived"):
        task_update(task=task, title="New title")
    with pytest.raises(ValidationError, match="archived"):
        assignment_update(assignment=assignment, share_percent=50)


def test_member_with_assignments_cannot_move_to_another_team():
    task = make_task()
    member = make_member(team=task.team)
    make_assignment(task, member)
    member.team = make_team()
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "team" in error.value.message_dict
    free = make_member(team=task.team)
    free.team = make_team()
    free.full_clean()  # without assignments a move is fine
