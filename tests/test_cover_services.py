"""The writes of covers (assignments/cover_services.py) and the database's own copy of their rules.

Ann holds a daily task of team A; Budi and Cita are her colleagues who may cover it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format

from assignments.cover_services import cover_create, cover_delete, cover_update
from assignments.models import Assignment, Cover, Task
from tests.factories import make_assignment, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

TUE, WED, THU, FRI = (datetime.date(2026, 12, day) for day in (1, 2, 3, 4))
SAT = datetime.date(2026, 12, 5)


@pytest.fixture
def team():
    return make_team(slug="team-a")


@pytest.fixture
def ann(team):
    return make_member(team, full_name="Ann", email="ann@x.com")


@pytest.fixture
def budi(team):
    return make_member(team, full_name="Budi", email="budi@x.com")


@pytest.fixture
def cita(team):
    return make_member(team, full_name="Cita", email="cita@x.com")


@pytest.fixture
def assignment(team, ann):
    return make_assignment(make_task(team, title="Reply"), ann)


def refused(**kwargs) -> dict[str, list[str]]:
    """The errors of a refused ``cover_create``, by field."""
    with pytest.raises(ValidationError) as caught:
        cover_create(**kwargs)
    return caught.value.message_dict


def short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def test_create_saves_the_cover_with_who_arranged_it(assignment, budi):
    manager = make_user()
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=THU, arranged_by=manager)
    stored = Cover.objects.get()
    assert stored.pk == cover.pk
    assert (stored.assignment, stored.member, stored.start_date, stored.end_date) == (assignment, budi, TUE, THU)
    assert stored.arranged_by == manager
    assert stored.created_at is not None


def test_an_end_before_the_start_is_an_error_on_the_end_date(assignment, budi):
    errors = refused(assignment=assignment, member=budi, start_date=THU, end_date=TUE)
    assert list(errors) == ["end_date"]
    assert not Cover.objects.exists()


def test_the_assignee_cannot_cover_their_own_duty(assignment, ann):
    errors = refused(assignment=assignment, member=ann, start_date=TUE, end_date=THU)
    assert errors == {"member": ["Ann cannot cover their own duty."]}
    assert not Cover.objects.exists()


def test_the_database_refuses_a_self_cover_written_past_the_services(assignment, ann, budi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cover.objects.create(assignment=assignment, member=ann, start_date=TUE, end_date=THU)
    assert not Cover.objects.exists()
    cover = Cover.objects.create(assignment=assignment, member=budi, start_date=TUE, end_date=THU)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cover.objects.filter(pk=cover.pk).update(member=ann)  # turning a cover into a self-cover
    assert Cover.objects.get().member == budi


def test_the_database_refuses_making_the_substitute_the_assignee(assignment, budi, cita):
    Cover.objects.create(assignment=assignment, member=budi, start_date=TUE, end_date=THU)
    assignment.member = budi
    with pytest.raises(IntegrityError), transaction.atomic():
        assignment.save()
    assert Assignment.objects.get(pk=assignment.pk).member.full_name == "Ann"
    # Any other change of a covered assignment goes through: its share, or handing it to someone else.
    assignment.refresh_from_db()
    assignment.share_percent = 50
    assignment.save()
    assignment.member = cita
    assignment.save()
    assert Assignment.objects.values_list("member__full_name", "share_percent").get(pk=assignment.pk) == ("Cita", 50)


def test_a_substitute_from_another_team_is_refused(assignment):
    stranger = make_member(make_team(), full_name="Stranger")
    errors = refused(assignment=assignment, member=stranger, start_date=TUE, end_date=THU)
    assert errors == {"member": ["Stranger is not in this task's team."]}


def test_an_inactive_substitute_is_refused(team, assignment):
    gone = make_member(team, full_name="Gone", is_active=False)
    errors = refused(assignment=assignment, member=gone, start_date=TUE, end_date=THU)
    assert errors == {"member": ["Gone is not an active team member."]}


def test_a_cover_of_an_archived_task_is_refused(assignment, budi):
    Task.objects.filter(pk=assignment.task_id).update(is_active=False)
    errors = refused(assignment=assignment, member=budi, start_date=TUE, end_date=THU)
    assert errors == {"assignment": ["This task is archived."]}
    assert not Cover.objects.exists()


def test_a_cover_of_a_removed_assignment_is_refused(assignment, budi):
    Assignment.objects.filter(pk=assignment.pk).delete()
    with pytest.raises(ValidationError, match="This assignment was removed meanwhile"):
        cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=THU)


def test_covers_of_one_assignment_never_overlap(team, assignment, budi, cita):
    first = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    # Thursday to Saturday touches nothing: fine.
    cover_create(assignment=assignment, member=cita, start_date=THU, end_date=SAT)
    # Wednesday is Budi's already: refused on the start date, naming him and his dates.
    errors = refused(assignment=assignment, member=cita, start_date=WED, end_date=WED)
    assert errors == {"start_date": [f"Budi already covers this duty from {short(TUE)} to {short(WED)}."]}
    # Another assignment's covers are another matter: the same days are fine there.
    other = make_assignment(make_task(team, title="Schedule"), make_member(team))
    cover_create(assignment=other, member=budi, start_date=TUE, end_date=SAT)
    # Changing a cover is judged against the others, not against itself.
    cover_update(cover=first, member=budi, start_date=datetime.date(2026, 11, 30), end_date=WED)
    with pytest.raises(ValidationError) as caught:
        cover_update(cover=first, member=budi, start_date=TUE, end_date=THU)
    assert caught.value.message_dict == {
        "start_date": [f"Cita already covers this duty from {short(THU)} to {short(SAT)}."]
    }
    assert Cover.objects.filter(assignment=assignment).values_list("start_date", "end_date").order_by(
        "start_date"
    ).first() == (datetime.date(2026, 11, 30), WED)


def test_update_applies_the_same_rules(assignment, ann, budi, cita):
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    with pytest.raises(ValidationError) as caught:
        cover_update(cover=cover, member=ann, start_date=TUE, end_date=WED)
    assert caught.value.message_dict == {"member": ["Ann cannot cover their own duty."]}
    cover_update(cover=cover, member=cita, start_date=WED, end_date=FRI)
    assert Cover.objects.values_list("member__full_name", "start_date", "end_date").get() == ("Cita", WED, FRI)


def test_update_of_a_cover_removed_meanwhile_is_an_error(assignment, budi, cita):
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    Cover.objects.filter(pk=cover.pk).delete()
    with pytest.raises(ValidationError, match="This cover was removed meanwhile"):
        cover_update(cover=cover, member=cita, start_date=TUE, end_date=WED)
    assert not Cover.objects.exists()


def test_postgresql_refuses_overlapping_covers_written_past_the_services(on_postgres, assignment, budi, cita):
    Cover.objects.create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cover.objects.create(assignment=assignment, member=cita, start_date=WED, end_date=FRI)
    Cover.objects.create(assignment=assignment, member=cita, start_date=THU, end_date=FRI)  # touching is fine
    assert Cover.objects.count() == 2


def test_delete_removes_the_cover_and_a_cover_already_gone_is_fine(assignment, budi):
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    stale = Cover.objects.get(pk=cover.pk)
    cover_delete(cover=cover)
    assert not Cover.objects.exists()
    cover_delete(cover=cover)  # twice
    cover_delete(cover=stale)  # an instance read before it went
    assert not Cover.objects.exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()  # only the cover went


def test_delete_of_a_cover_whose_assignment_went_meanwhile_is_fine(assignment, budi):
    cover = cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    stale = Cover.objects.get(pk=cover.pk)  # read before the assignment went, its assignment not loaded
    Assignment.objects.filter(pk=assignment.pk).delete()
    cover_delete(cover=stale)
    assert not Cover.objects.exists()


def test_deleting_the_assignment_or_the_substitute_deletes_their_covers(team, assignment, budi, cita):
    kept = make_assignment(make_task(team, title="Schedule"), make_member(team))
    cover_create(assignment=assignment, member=budi, start_date=TUE, end_date=WED)
    cover_create(assignment=kept, member=budi, start_date=TUE, end_date=WED)
    cover_create(assignment=kept, member=cita, start_date=THU, end_date=FRI)
    assignment.delete()
    assert list(Cover.objects.values_list("assignment", "member__full_name").order_by("pk")) == [
        (kept.pk, "Budi"),
        (kept.pk, "Cita"),
    ]
    budi.delete()
    assert list(Cover.objects.values_list("member__full_name", flat=True)) == ["Cita"]
