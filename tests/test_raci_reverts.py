"""Reverting RACI's entries (activity/reverts.py): a task's Accountable and a Consulted or Informed person are
set back through ``raci_set``, so RACI's rules refuse what they refuse today, with their message, and nothing
is written.

Ann, Budi and Citra are in team A, managed by Mia; the task is the weekly report.
"""

import pytest
from django.core.exceptions import ValidationError

from activity.models import TRACKED, ChangeSet
from activity.reverts import REVERTIBLE, revert_entry
from assignments.models import Task, TaskInvolvement
from assignments.raci import raci_set
from assignments.services import task_archive, task_update
from tests.factories import make_member, make_role, make_task, make_team, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    team = make_team(slug="team-a")
    mia = make_user(username="mia")
    team.managers.add(mia)
    ann, budi, citra = (make_member(team, full_name=name) for name in ("Ann", "Budi", "Citra"))
    task = make_task(team, make_role(), title="Weekly report", cadence=Task.Cadence.WEEKLY)
    return team, mia, ann, budi, citra, task


def last_entry(model, **rows):
    return model.history.filter(**rows).order_by("-history_id").first()


def revert(team, user, object_type: str, record) -> ChangeSet | None:
    return revert_entry(team=team, object_type=object_type, history_id=record.history_id, user=user)


def messages(error: pytest.ExceptionInfo) -> list[str]:
    return [str(message) for message in error.value.messages]


def letters(task: Task) -> dict[str, str]:
    """Each person's letter on the task, by name."""
    task.refresh_from_db()
    found = {row.member.full_name: row.kind[0].upper() for row in TaskInvolvement.objects.filter(task=task)}
    if task.accountable is not None:
        found[task.accountable.full_name] = "A"
    return found


def history_size() -> tuple[int, ...]:
    """Every change set and historical row: a refused revert adds none."""
    return (ChangeSet.objects.count(), *(model.history.count() for model, _excluded in TRACKED.values()))


def test_involvements_can_be_reverted():
    assert REVERTIBLE["involvement"] is TaskInvolvement


# ------------------------------------------------------------------ a task's Accountable


def test_revert_of_an_accountable_given_leaves_nobody_accountable(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    change_set = revert(team, mia, "task", last_entry(Task, id=task.pk))
    assert letters(task) == {}
    assert change_set.reverts.startswith("task-")


def test_revert_of_an_accountable_changed_gives_it_back_and_keeps_a_later_title(plan):
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="A")
    moved = last_entry(Task, id=task.pk)
    task_update(task=task, title="Weekly summary")
    revert(team, mia, "task", moved)
    assert letters(task) == {"Ann": "A"}
    assert Task.objects.get(pk=task.pk).title == "Weekly summary"


def test_revert_of_an_accountable_cleared_gives_it_back(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=ann, letter="")
    revert(team, mia, "task", last_entry(Task, id=task.pk))
    assert letters(task) == {"Ann": "A"}


def test_the_accountable_given_back_loses_the_letter_they_hold_now(plan):
    """One letter each (raci_set): Ann, consulted since, is accountable again and no longer consulted."""
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="A")
    moved = last_entry(Task, id=task.pk)
    raci_set(task=task, member=ann, letter="C")
    revert(team, mia, "task", moved)
    assert letters(task) == {"Ann": "A"}


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("left", "Ann is not an active team member."),
        ("moved", "Ann is not in this task's team."),
    ],
)
def test_revert_that_would_make_someone_who_may_not_be_accountable_is_refused_and_writes_nothing(plan, since, message):
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="A")
    moved = last_entry(Task, id=task.pk)
    if since == "left":
        ann.is_active = False
    else:
        ann.team = make_team()  # the admin can move a person to another team
    ann.save()
    before = history_size()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "task", moved)
    assert messages(error) == [message]
    assert (history_size(), letters(task)) == (before, {"Budi": "A"})


def test_revert_giving_the_accountable_back_to_someone_deleted_since_is_refused(plan):
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="A")
    moved = last_entry(Task, id=task.pk)
    ann.delete()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "task", moved)
    assert messages(error) == ["This cannot be reverted: its accountable no longer exists."]
    assert letters(task) == {"Budi": "A"}


def test_revert_of_an_accountable_change_on_a_task_archived_since_is_refused(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=ann, letter="")
    cleared = last_entry(Task, id=task.pk)
    task_archive(task=task)
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "task", cleared)
    assert messages(error) == ["This task is archived."]


def test_revert_of_an_archiving_that_cleared_nothing_else_keeps_the_accountable(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    task_archive(task=task)
    revert(team, mia, "task", last_entry(Task, id=task.pk))
    assert (Task.objects.get(pk=task.pk).is_active, letters(task)) == (True, {"Ann": "A"})


def test_a_deleted_task_comes_back_with_its_accountable_and_then_its_involvements(plan):
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="A")
    raci_set(task=task, member=budi, letter="I")
    Task.objects.get(pk=task.pk).delete()  # the admin can delete a task; its involvements go with it
    revert(team, mia, "task", last_entry(Task, id=task.pk))
    assert letters(task) == {"Ann": "A"}
    revert(team, mia, "involvement", last_entry(TaskInvolvement, member_id=budi.pk))
    assert letters(task) == {"Ann": "A", "Budi": "I"}


def test_a_deleted_task_whose_accountable_left_since_is_not_restored(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="A")
    Task.objects.get(pk=task.pk).delete()
    ann.is_active = False
    ann.save()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "task", last_entry(Task, id=task.pk))
    assert messages(error) == ["Ann is not an active team member."]
    assert not Task.objects.filter(pk=task.pk).exists()


# ------------------------------------------------------------------ Consulted and Informed


def test_revert_of_an_involvement_created_takes_the_person_off(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert letters(task) == {}
    assert last_entry(TaskInvolvement).history_type == "-"


def test_revert_of_an_involvement_changed_gives_back_its_kind(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=task, member=ann, letter="I")
    revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert letters(task) == {"Ann": "C"}


def test_revert_of_an_involvement_deleted_puts_the_person_back(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="I")
    raci_set(task=task, member=ann, letter="")
    change_set = revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert letters(task) == {"Ann": "I"}
    assert TaskInvolvement.history.get(change_set=change_set).history_type == "+"  # a row of its own


def test_revert_of_an_involvement_deleted_twice_says_it_is_back_already(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="I")
    raci_set(task=task, member=ann, letter="")
    deletion = last_entry(TaskInvolvement)
    revert(team, mia, "involvement", deletion)
    before = history_size()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", deletion)
    assert messages(error) == ["This person is already consulted on or informed of this task."]
    assert history_size() == before


def test_revert_of_an_involvement_deleted_is_refused_when_the_person_is_now_accountable(plan):
    """One letter each: putting Ann back as consulted would take her A away. Refused, said why."""
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=task, member=ann, letter="A")  # her C goes
    deletion = last_entry(TaskInvolvement)
    before = history_size()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", deletion)
    assert messages(error) == ["Ann is accountable for this task: a person has one letter of A, C and I."]
    assert (history_size(), letters(task)) == (before, {"Ann": "A"})


@pytest.mark.parametrize("entry", ["deleted", "changed"])
def test_revert_that_would_involve_someone_who_left_is_refused_and_writes_nothing(plan, entry):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=task, member=ann, letter="" if entry == "deleted" else "I")
    record = last_entry(TaskInvolvement)
    ann.is_active = False
    ann.save()
    before = history_size()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", record)
    assert messages(error) == ["Ann is not an active team member."]
    assert history_size() == before


def test_revert_of_an_involvement_created_and_taken_off_since_says_it_is_gone(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    creation = last_entry(TaskInvolvement)
    raci_set(task=task, member=ann, letter="")
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", creation)
    assert messages(error) == ["This person is no longer consulted on or informed of this task."]


def test_revert_of_an_involvement_on_a_task_deleted_since_says_so(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    raci_set(task=task, member=ann, letter="")
    deletion = last_entry(TaskInvolvement)
    Task.objects.get(pk=task.pk).delete()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", deletion)
    assert messages(error) == ["This cannot be reverted: its task no longer exists."]


def test_revert_of_an_involvement_moved_to_another_person_in_the_admin_is_refused(plan):
    team, mia, ann, budi, _citra, task = plan
    raci_set(task=task, member=ann, letter="C")
    involvement = TaskInvolvement.objects.get()
    involvement.member = budi  # the admin's involvement form can do this; RACI's cell cannot
    involvement.save()
    with pytest.raises(ValidationError) as error:
        revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert messages(error) == ["This change cannot be reverted here: it changed the member."]


def test_revert_of_another_teams_involvement_is_not_found(plan):
    team, mia, *_rest = plan
    elsewhere = make_task(make_team())
    raci_set(task=elsewhere, member=make_member(elsewhere.team), letter="I")
    with pytest.raises(LookupError):
        revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert TaskInvolvement.objects.filter(task=elsewhere).exists()


def test_the_revert_of_an_involvement_is_recorded_and_can_itself_be_reverted(plan):
    team, mia, ann, *_rest, task = plan
    raci_set(task=task, member=ann, letter="C")
    change_set = revert(team, mia, "involvement", last_entry(TaskInvolvement))
    assert (change_set.actor, change_set.team_id) == ("mia", team.pk)
    revert(team, mia, "involvement", TaskInvolvement.history.get(change_set=change_set))
    assert letters(task) == {"Ann": "C"}
