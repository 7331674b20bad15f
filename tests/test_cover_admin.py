"""Covers in the Django admin: their own pages and the inline on an assignment, under the services' rules."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from assignments.models import Assignment, Cover, Task
from tests.factories import make_assignment, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

TUE, WED, THU, FRI = (datetime.date(2026, 12, day) for day in (1, 2, 3, 4))
CHANGELIST = "admin:assignments_cover_changelist"
ADD = "admin:assignments_cover_add"


@pytest.fixture
def superuser():
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def team():
    return make_team(name="Marketing")


@pytest.fixture
def ann(team):
    return make_member(team, full_name="Ann Away", email="ann@x.com")


@pytest.fixture
def budi(team):
    return make_member(team, full_name="Budi Backup", email="budi@x.com")


@pytest.fixture
def cita(team):
    return make_member(team, full_name="Cita Colleague", email="cita@x.com")


@pytest.fixture
def assignment(team, ann):
    return make_assignment(make_task(team, title="Reply to DMs"), ann)


def cover(assignment, member, start=TUE, end=WED) -> Cover:
    return Cover.objects.create(assignment=assignment, member=member, start_date=start, end_date=end)


def short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def form_errors(response) -> dict[str, list[str]]:
    return dict(response.context["adminform"].form.errors)


def test_changelist_lists_task_assignee_substitute_dates_and_who_arranged(admin_client, superuser, assignment, budi):
    Cover.objects.create(assignment=assignment, member=budi, start_date=TUE, end_date=WED, arranged_by=superuser)
    page = admin_client.get(reverse(CHANGELIST)).content.decode()
    for text in ("Reply to DMs", "Ann Away", "Budi Backup", superuser.username, "Substitute", "Assignee"):
        assert text in page


def test_changelist_search_and_team_filter(admin_client, assignment, budi):
    cover(assignment, budi)
    elsewhere = make_team()
    other = make_assignment(make_task(elsewhere, title="Other team's task"), make_member(elsewhere))
    cover(other, make_member(elsewhere, full_name="Zed Elsewhere"))
    url = reverse(CHANGELIST)
    for query in ("Reply", "Ann Away", "ann@x.com", "Budi", "budi@x.com"):  # task, assignee, substitute
        page = admin_client.get(url, {"q": query}).content.decode()
        assert "Budi Backup" in page and "Zed Elsewhere" not in page, query
    page = admin_client.get(url, {"assignment__task__team__id__exact": elsewhere.pk}).content.decode()
    assert "Zed Elsewhere" in page and "Budi Backup" not in page


def test_changelist_query_count_does_not_grow_with_rows(admin_client, team):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    def add_covers(count: int) -> None:
        for _ in range(count):
            substitute = make_member(team)
            cover(make_assignment(make_task(team), make_member(team)), substitute)

    add_covers(2)
    small = queries()
    add_covers(10)
    assert queries() == small


def test_add_and_change_pages_open(admin_client, assignment, budi):
    assert admin_client.get(reverse(ADD)).status_code == 200
    existing = cover(assignment, budi)
    assert admin_client.get(reverse("admin:assignments_cover_change", args=[existing.pk])).status_code == 200
    page = admin_client.get(reverse("admin:assignments_assignment_change", args=[assignment.pk])).content.decode()
    assert "Budi Backup" in page and 'name="covers-TOTAL_FORMS"' in page  # the inline, with its row


def test_add_saves_a_valid_cover_and_records_who_arranged_it(admin_client, superuser, assignment, budi):
    data = {"assignment": assignment.pk, "member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"}
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 302
    saved = Cover.objects.get()
    assert (saved.member, saved.start_date, saved.end_date, saved.arranged_by) == (budi, TUE, WED, superuser)


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("self", "member", "Ann Away cannot cover their own duty."),
        ("stranger", "member", "Zed Elsewhere is not in this task's team."),
        ("inactive", "member", "Gone Member is not an active team member."),
        ("archived", "assignment", "This task is archived."),
        ("overlap", "start_date", "Cita Colleague already covers this duty from {tue} to {wed}."),
        ("reversed", "end_date", "The end date must be on or after the start date."),
    ],
)
def test_add_refuses_an_invalid_cover_beside_its_field_and_writes_nothing(
    admin_client, team, assignment, ann, budi, cita, case, field, message
):
    member = {
        "self": ann,
        "stranger": make_member(make_team(), full_name="Zed Elsewhere"),
        "inactive": make_member(team, full_name="Gone Member", is_active=False),
    }.get(case, budi)
    if case == "archived":
        Task.objects.filter(pk=assignment.task_id).update(is_active=False)
    if case == "overlap":
        cover(assignment, cita, TUE, WED)
    start, end = ("2026-12-03", "2026-12-02") if case == "reversed" else ("2026-12-02", "2026-12-03")
    before = list(Cover.objects.values_list("pk", flat=True))
    data = {"assignment": assignment.pk, "member": member.pk, "start_date": start, "end_date": end}
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 200
    expected = message.format(tue=short(TUE), wed=short(WED))
    assert form_errors(response) == {field: [expected]}
    page = response.content.decode()  # in the error list of that field's row
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{html.escape(expected)}</li></ul>' in page
    assert list(Cover.objects.values_list("pk", flat=True)) == before


def test_change_form_judges_a_cover_against_the_others_not_itself(admin_client, assignment, budi, cita):
    first, _second = cover(assignment, budi, TUE, WED), cover(assignment, cita, THU, FRI)
    url = reverse("admin:assignments_cover_change", args=[first.pk])
    data = {"assignment": assignment.pk, "member": budi.pk, "start_date": "2026-11-30", "end_date": "2026-12-02"}
    assert admin_client.post(url, data).status_code == 302  # overlaps only its own old dates
    response = admin_client.post(url, data | {"end_date": "2026-12-03"})
    assert form_errors(response) == {
        "start_date": [f"Cita Colleague already covers this duty from {short(THU)} to {short(FRI)}."]
    }
    first.refresh_from_db()
    assert (first.start_date, first.end_date) == (datetime.date(2026, 11, 30), WED)


def assignment_form_data(assignment: Assignment, rows: list[dict], *, initial: int = 0, **changes) -> dict:
    """The assignment change form with its cover rows (``id`` for a row already saved)."""
    data = {
        "task": assignment.task_id,
        "member": assignment.member_id,
        "share_percent": assignment.share_percent,
        "start_date": "",
        "end_date": "",
        "covers-TOTAL_FORMS": str(len(rows)),
        "covers-INITIAL_FORMS": str(initial),
        "covers-MIN_NUM_FORMS": "0",
        "covers-MAX_NUM_FORMS": "1000",
    } | changes
    for index, row in enumerate(rows):
        data |= {f"covers-{index}-assignment": assignment.pk, f"covers-{index}-id": row.get("id", "")}
        data |= {f"covers-{index}-{name}": value for name, value in row.items() if name != "id"}
    return data


def row_errors(response) -> list[dict]:
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    return [dict(errors) for errors in formset.errors]


def test_inline_refuses_two_overlapping_rows_and_writes_nothing(admin_client, assignment, budi, cita):
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    rows = [
        {"member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"},
        {"member": cita.pk, "start_date": "2026-12-02", "end_date": "2026-12-04"},
    ]
    response = admin_client.post(url, assignment_form_data(assignment, rows))
    assert response.status_code == 200
    message = f"Budi Backup already covers this duty from {short(TUE)} to {short(WED)}."
    assert row_errors(response) == [{}, {"start_date": [message]}]
    assert not Cover.objects.exists()


def test_inline_saves_rows_that_keep_apart_and_records_who_arranged_them(
    admin_client, superuser, assignment, budi, cita
):
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    rows = [
        {"member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"},
        {"member": cita.pk, "start_date": "2026-12-03", "end_date": "2026-12-04"},
    ]
    assert admin_client.post(url, assignment_form_data(assignment, rows)).status_code == 302
    saved = Cover.objects.order_by("start_date").values_list(
        "member__full_name", "start_date", "end_date", "arranged_by"
    )
    assert list(saved) == [("Budi Backup", TUE, WED, superuser.pk), ("Cita Colleague", THU, FRI, superuser.pk)]


def test_inline_refuses_the_assignee_and_a_row_overlapping_a_saved_cover(admin_client, assignment, ann, budi, cita):
    saved = cover(assignment, budi, TUE, WED)
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    rows = [
        {"id": saved.pk, "member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"},  # as it was
        {"member": ann.pk, "start_date": "2026-12-03", "end_date": "2026-12-03"},
        {"member": cita.pk, "start_date": "2026-12-02", "end_date": "2026-12-02"},
    ]
    response = admin_client.post(url, assignment_form_data(assignment, rows, initial=1))
    assert row_errors(response) == [
        {},
        {"member": ["Ann Away cannot cover their own duty."]},
        {"start_date": [f"Budi Backup already covers this duty from {short(TUE)} to {short(WED)}."]},
    ]
    assert list(Cover.objects.values_list("pk", flat=True)) == [saved.pk]


def test_inline_leaves_an_unchanged_row_of_a_substitute_who_left(admin_client, team, assignment, budi):
    saved = cover(assignment, budi, TUE, WED)
    type(budi).objects.filter(pk=budi.pk).update(is_active=False)
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    rows = [{"id": saved.pk, "member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"}]
    response = admin_client.post(url, assignment_form_data(assignment, rows, initial=1, share_percent=80))
    assert response.status_code == 302  # the assignment can still be edited
    assert Assignment.objects.get(pk=assignment.pk).share_percent == 80
    rows[0]["end_date"] = "2026-12-03"  # but changing the row judges the substitute again
    response = admin_client.post(url, assignment_form_data(assignment, rows, initial=1))
    assert row_errors(response) == [{"member": ["Budi Backup is not an active team member."]}]


def test_assignment_cannot_go_to_its_substitute_in_either_admin_form(admin_client, assignment, budi):
    saved = cover(assignment, budi, TUE, WED)
    message = "Budi Backup covers this duty: remove their cover before assigning them."
    url = reverse("admin:assignments_assignment_change", args=[assignment.pk])
    rows = [{"id": saved.pk, "member": budi.pk, "start_date": "2026-12-01", "end_date": "2026-12-02"}]
    response = admin_client.post(url, assignment_form_data(assignment, rows, initial=1, member=budi.pk))
    assert response.status_code == 200
    assert form_errors(response) == {"member": [message]}
    # The task's page, with its assignment inline: the same refusal on the row, not a database error.
    task = assignment.task
    data = {
        "team": task.team_id,
        "role": task.role_id,
        "title": task.title,
        "description": "",
        "channel": "",
        "cadence": task.cadence,
        "effort_hours": "1.00",
        "start_date": str(task.start_date),
        "end_date": "",
        "is_active": "on",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": assignment.pk,
        "assignments-0-task": task.pk,
        "assignments-0-member": budi.pk,
        "assignments-0-share_percent": "100",
        "involvements-TOTAL_FORMS": "0",
        "involvements-INITIAL_FORMS": "0",
        "involvements-MIN_NUM_FORMS": "0",
        "involvements-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:assignments_task_change", args=[task.pk]), data)
    assert response.status_code == 200
    (formset,) = [
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.prefix == "assignments"
    ]
    assert formset.errors == [{"member": [message]}]
    assert Assignment.objects.get(pk=assignment.pk).member.full_name == "Ann Away"
