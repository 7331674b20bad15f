"""Reverting one entry of the plan's history (activity/reverts.py): through the services, refused by
today's rules, recorded itself.

Ann and Budi are in team A, managed by Mia; Ann holds a role and a 60 % share of the weekly report.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activity.models import ChangeSet
from activity.recording import recording
from activity.reverts import REVERTIBLE, revert_entry, revertible
from assignments.cover_services import cover_create, cover_delete, cover_update
from assignments.models import Assignment, Cover, Task
from assignments.services import (
    assignment_create,
    assignment_delete,
    assignment_update,
    task_archive,
    task_create,
    task_update,
)
from roles.models import RoleHolding, TimeOff
from roles.services import (
    role_holding_create,
    role_holding_delete,
    role_holding_end,
    time_off_create,
    time_off_delete,
    time_off_update,
)
from tests.factories import MONDAY, make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

TUE, WED, THU, FRI = (MONDAY + datetime.timedelta(days=n) for n in (1, 2, 3, 4))


@pytest.fixture
def plan():
    team = make_team(slug="team-a")
    mia = make_user(username="mia")
    team.managers.add(mia)
    role = make_role()
    ann = make_member(team, full_name="Ann")
    budi = make_member(team, full_name="Budi")
    task = make_task(team, role, title="Weekly report", cadence=Task.Cadence.WEEKLY)
    return team, mia, role, ann, budi, task


def last_entry(model, pk: int):
    """The newest historical record of one row."""
    return model.history.filter(id=pk).order_by("-history_id").first()


def revert(team, user, object_type: str, model, pk: int, history_type: str) -> ChangeSet:
    record = last_entry(model, pk)
    assert record.history_type == history_type
    return revert_entry(team=team, object_type=object_type, history_id=record.history_id, user=user)


def messages(error: pytest.ExceptionInfo) -> list[str]:
    return [str(message) for message in error.value.messages]


# Assignments


def test_revert_assignment_created_deletes_it(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    revert(team, mia, "assignment", Assignment, assignment.pk, "+")
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert last_entry(Assignment, assignment.pk).history_type == "-"


def test_revert_assignment_changed_sets_back_only_what_that_change_changed(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_update(assignment=assignment, share_percent=80)
    share_change = last_entry(Assignment, assignment.pk)
    assignment_update(assignment=assignment, share_percent=80, end_date=FRI)  # a later change, kept
    revert_entry(team=team, object_type="assignment", history_id=share_change.history_id, user=mia)
    assignment.refresh_from_db()
    assert (assignment.share_percent, assignment.end_date, assignment.assigned_by) == (60, FRI, mia)


def test_revert_assignment_deleted_restores_it_with_its_own_id_and_values(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60, end_date=FRI, assigned_by=mia)
    assignment_delete(assignment=assignment)
    revert(team, mia, "assignment", Assignment, assignment.pk, "-")
    restored = Assignment.objects.get(pk=assignment.pk)
    assert (restored.task, restored.member, restored.share_percent, restored.end_date) == (task, ann, 60, FRI)
    assert restored.assigned_by == mia
    history = Assignment.history.filter(id=assignment.pk).order_by("history_id")
    assert list(history.values_list("history_type", flat=True)) == ["+", "-", "+"]


def test_revert_of_a_deleted_assignment_is_refused_when_its_share_is_taken_and_nothing_is_written(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_delete(assignment=assignment)
    assignment_create(task=task, member=budi, share_percent=50)
    change_sets, entries = ChangeSet.objects.count(), Assignment.history.count()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "assignment", Assignment, assignment.pk, "-")
    assert messages(error) == ["Only 50 % of this task is left to assign."]
    assert (ChangeSet.objects.count(), Assignment.history.count()) == (change_sets, entries)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_revert_of_a_deleted_assignment_twice_says_it_is_already_back(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_delete(assignment=assignment)
    deletion = last_entry(Assignment, assignment.pk)
    revert_entry(team=team, object_type="assignment", history_id=deletion.history_id, user=mia)
    with pytest.raises(ValidationError) as error:
        revert_entry(team=team, object_type="assignment", history_id=deletion.history_id, user=mia)
    assert messages(error) == ["This assignment is already back."]


def test_revert_of_a_change_twice_says_nothing_is_left_to_revert(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_update(assignment=assignment, share_percent=80)
    change = last_entry(Assignment, assignment.pk)
    revert_entry(team=team, object_type="assignment", history_id=change.history_id, user=mia)
    with pytest.raises(ValidationError) as error:
        revert_entry(team=team, object_type="assignment", history_id=change.history_id, user=mia)
    assert messages(error) == ["Nothing to revert: the earlier values are already in place."]


def test_revert_of_a_change_to_an_assignment_deleted_since_says_it_no_longer_exists(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_update(assignment=assignment, share_percent=80)
    change = last_entry(Assignment, assignment.pk)
    assignment_delete(assignment=assignment)
    with pytest.raises(ValidationError) as error:
        revert_entry(team=team, object_type="assignment", history_id=change.history_id, user=mia)
    assert messages(error) == ["This assignment no longer exists."]


def test_revert_of_a_change_whose_earlier_values_were_pruned_is_refused(plan):
    team, mia, _, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment_update(assignment=assignment, share_percent=80)
    Assignment.history.filter(id=assignment.pk, history_type="+").delete()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "assignment", Assignment, assignment.pk, "~")
    assert messages(error) == ["The earlier values of this change are no longer kept."]


def test_revert_of_a_move_to_another_member_is_refused(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    assignment.member = budi  # the admin can move an assignment; the pages cannot
    assignment.save()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "assignment", Assignment, assignment.pk, "~")
    assert messages(error) == ["This change cannot be reverted here: it changed the member."]
    assert Assignment.objects.get(pk=assignment.pk).member == budi


# Tasks


def test_revert_task_created_archives_it(plan):
    team, mia, role, *_ = plan
    task = task_create(team=team, role=role, title="Newsletter", cadence="weekly", effort_hours=2, start_date=MONDAY)
    revert(team, mia, "task", Task, task.pk, "+")
    assert Task.objects.get(pk=task.pk).is_active is False


def test_revert_task_created_twice_says_it_is_archived(plan):
    team, mia, role, *_ = plan
    task = task_create(team=team, role=role, title="Newsletter", cadence="weekly", effort_hours=2, start_date=MONDAY)
    creation = last_entry(Task, task.pk)
    revert_entry(team=team, object_type="task", history_id=creation.history_id, user=mia)
    with pytest.raises(ValidationError) as error:
        revert_entry(team=team, object_type="task", history_id=creation.history_id, user=mia)
    assert messages(error) == ["This task is archived."]


def test_revert_task_changed_sets_back_its_title(plan):
    team, mia, _, _, _, task = plan
    task_update(task=task, title="Monthly report")
    revert(team, mia, "task", Task, task.pk, "~")
    assert Task.objects.get(pk=task.pk).title == "Weekly report"


def test_revert_task_archived_restores_it(plan):
    team, mia, _, _, _, task = plan
    task_archive(task=task)
    revert(team, mia, "task", Task, task.pk, "~")
    assert Task.objects.get(pk=task.pk).is_active is True


def test_revert_task_deleted_restores_it_with_its_own_id_then_its_assignments(plan):
    team, mia, role, ann, _, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    Task.objects.get(pk=task.pk).delete()  # the admin can delete a task; the pages archive it
    revert(team, mia, "task", Task, task.pk, "-")
    restored = Task.objects.get(pk=task.pk)
    assert (restored.title, restored.role, restored.team, restored.is_active) == ("Weekly report", role, team, True)
    revert(team, mia, "assignment", Assignment, assignment.pk, "-")
    assert Assignment.objects.get(pk=assignment.pk).task == restored


# Role holdings


def test_revert_holding_created_deletes_it(plan):
    team, mia, role, ann, *_ = plan
    holding = role_holding_create(member=ann, role=role, start_date=MONDAY)
    revert(team, mia, "holding", RoleHolding, holding.pk, "+")
    assert not RoleHolding.objects.filter(pk=holding.pk).exists()


def test_revert_holding_ended_makes_it_open_again(plan):
    team, mia, role, ann, *_ = plan
    holding = role_holding_create(member=ann, role=role, start_date=MONDAY)
    role_holding_end(holding=holding, end_date=FRI)
    revert(team, mia, "holding", RoleHolding, holding.pk, "~")
    assert RoleHolding.objects.get(pk=holding.pk).end_date is None


def test_revert_holding_deleted_restores_it(plan):
    team, mia, role, ann, *_ = plan
    holding = role_holding_create(member=ann, role=role, start_date=MONDAY, end_date=FRI)
    role_holding_delete(holding=holding)
    revert(team, mia, "holding", RoleHolding, holding.pk, "-")
    restored = RoleHolding.objects.get(pk=holding.pk)
    assert (restored.member, restored.role, restored.start_date, restored.end_date) == (ann, role, MONDAY, FRI)


def test_revert_holding_deleted_is_refused_when_a_new_holding_overlaps(plan):
    team, mia, role, ann, *_ = plan
    holding = role_holding_create(member=ann, role=role, start_date=MONDAY)
    role_holding_delete(holding=holding)
    role_holding_create(member=ann, role=role, start_date=TUE)
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "holding", RoleHolding, holding.pk, "-")
    assert "already holds this role" in messages(error)[0]


# Time off


def test_revert_time_off_created_deletes_it(plan):
    team, mia, _, ann, *_ = plan
    time_off = time_off_create(member=ann, start_date=TUE, end_date=WED)
    revert(team, mia, "time_off", TimeOff, time_off.pk, "+")
    assert not TimeOff.objects.filter(pk=time_off.pk).exists()


def test_revert_time_off_changed_sets_back_its_dates_and_keeps_a_later_reason(plan):
    team, mia, _, ann, *_ = plan
    time_off = time_off_create(member=ann, start_date=TUE, end_date=WED, reason="leave")
    time_off_update(time_off=time_off, start_date=TUE, end_date=FRI, reason="leave")
    dates_change = last_entry(TimeOff, time_off.pk)
    time_off_update(time_off=time_off, start_date=TUE, end_date=FRI, reason="course")
    revert_entry(team=team, object_type="time_off", history_id=dates_change.history_id, user=mia)
    time_off.refresh_from_db()
    assert (time_off.start_date, time_off.end_date, time_off.reason) == (TUE, WED, "course")


def test_revert_time_off_deleted_restores_it(plan):
    team, mia, _, ann, *_ = plan
    time_off = time_off_create(member=ann, start_date=TUE, end_date=WED, reason="leave")
    time_off_delete(time_off=time_off)
    revert(team, mia, "time_off", TimeOff, time_off.pk, "-")
    restored = TimeOff.objects.get(pk=time_off.pk)
    assert (restored.member, restored.start_date, restored.end_date, restored.reason) == (ann, TUE, WED, "leave")


# Covers


def test_revert_cover_created_deletes_it(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    revert(team, mia, "cover", Cover, cover.pk, "+")
    assert not Cover.objects.filter(pk=cover.pk).exists()


def test_revert_cover_changed_sets_back_its_dates(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    cover_update(cover=cover, member=budi, start_date=THU, end_date=FRI)
    revert(team, mia, "cover", Cover, cover.pk, "~")
    cover.refresh_from_db()
    assert (cover.member, cover.start_date, cover.end_date) == (budi, TUE, WED)


def test_revert_cover_deleted_restores_it(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED, arranged_by=mia)
    cover_delete(cover=cover)
    revert(team, mia, "cover", Cover, cover.pk, "-")
    restored = Cover.objects.get(pk=cover.pk)
    assert (restored.assignment, restored.member, restored.start_date, restored.arranged_by) == (
        assignment,
        budi,
        TUE,
        mia,
    )


def test_deleted_assignment_restored_keeps_its_id_and_its_covers_can_then_be_restored(plan):
    team, mia, _, ann, budi, task = plan
    assignment = assignment_create(task=task, member=ann, share_percent=60)
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    assignment_delete(assignment=assignment)  # its cover goes with it
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "cover", Cover, cover.pk, "-")
    assert messages(error) == ["This cannot be reverted: its assignment no longer exists."]
    revert(team, mia, "assignment", Assignment, assignment.pk, "-")
    revert(team, mia, "cover", Cover, cover.pk, "-")
    assert Cover.objects.get(pk=cover.pk).assignment_id == assignment.pk


# The revert itself


def test_revert_is_recorded_as_a_change_set_of_its_own(plan):
    team, mia, _, ann, _, task = plan
    with recording("someone-else"):
        assignment = assignment_create(task=task, member=ann, share_percent=60)
    creation = last_entry(Assignment, assignment.pk)
    change_set = revert_entry(team=team, object_type="assignment", history_id=creation.history_id, user=mia)
    assert change_set == ChangeSet.objects.get(reverts=f"assignment-{creation.history_id}")
    assert (change_set.actor, change_set.user, change_set.team_id) == ("mia", mia, team.pk)
    deletion = Assignment.history.get(change_set=change_set)
    assert (deletion.id, deletion.history_type, deletion.history_user) == (assignment.pk, "-", mia)


def test_revert_of_another_teams_entry_is_not_found(plan):
    team, *_ = plan
    other_task = make_task(make_team(slug="team-b"))
    other_manager = make_user(username="omar")
    creation = last_entry(Task, other_task.pk)
    with pytest.raises(LookupError):
        revert_entry(team=team, object_type="task", history_id=creation.history_id, user=other_manager)
    assert Task.objects.get(pk=other_task.pk).is_active is True


@pytest.mark.parametrize("object_type", ["member", "acknowledgement", "nonsense"])
def test_revert_of_a_type_that_cannot_be_reverted_is_not_found(plan, object_type):
    team, mia, *_ = plan
    with pytest.raises(LookupError):
        revert_entry(team=team, object_type=object_type, history_id=1, user=mia)


def test_revert_of_an_entry_that_does_not_exist_is_not_found(plan):
    team, mia, *_ = plan
    with pytest.raises(LookupError):
        revert_entry(team=team, object_type="assignment", history_id=999_999, user=mia)


def test_revertible_knows_the_types_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert revertible("task") is True
        assert revertible("member") is False
    assert set(REVERTIBLE) == {"assignment", "task", "holding", "time_off", "cover", "involvement"}
    assert REVERTIBLE["time_off"] is TimeOff


def test_an_entry_of_a_task_the_admin_moved_to_another_team_is_no_longer_this_teams_to_revert(plan):
    team, mia, *_, task = plan
    with recording("mia", user=mia):
        task_update(task=task, title="Monthly report")
    entry = last_entry(Task, task.pk)
    Task.objects.filter(pk=task.pk).update(team=make_team())  # as an admin's move (not recorded here)
    with pytest.raises(LookupError):
        revert_entry(team=team, object_type="task", history_id=entry.history_id, user=mia)
    assert Task.objects.get(pk=task.pk).title == "Monthly report"
    assert not ChangeSet.objects.filter(reverts=f"task-{entry.history_id}").exists()
