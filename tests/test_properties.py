"""Property-based tests (Hypothesis): no input to a form or JSON endpoint gives a 500 or an invalid row."""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F, Q, Sum
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assignments.models import Assignment, Task
from assignments.plan import PlanError, plan_import
from roles.models import Role, RoleHolding, Team, TeamMember
from tests.factories import PLAN_MODELS

EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

# Values a person (or an attacker) might type into any field.
field_values = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.sampled_from(["once", "daily", "weekly", "monthly", "instagram", "x", "on", "2026-02-30", "1e400", "NaN"]),
)


def assert_every_row_is_valid():
    """Each row passes every model rule, and the cross-row rules hold."""
    for model in PLAN_MODELS:
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:  # pragma: no cover - the message is the point
                raise AssertionError(f"{model.__name__} {row.pk} is invalid: {error}") from error
    # The active members' shares of a task add up to 100 at most (an inactive member's share counts nowhere).
    active_shares = Sum("assignments__share_percent", filter=Q(assignments__member__is_active=True))
    for task in Task.objects.annotate(total=active_shares):
        assert (task.total or 0) <= 100, task
    assert not Assignment.objects.exclude(member__team=F("task__team")).exists()


class FormEndpointsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team = Team.objects.create(name="Marketing", slug="marketing")
        cls.manager = get_user_model().objects.create_user("boss", password="x")
        cls.team.managers.add(cls.manager)
        cls.role = Role.objects.create(name="Specialist", slug="specialist", focus="operational")
        cls.member = TeamMember.objects.create(team=cls.team, full_name="Sari", email="sari@example.com")
        cls.other = TeamMember.objects.create(team=cls.team, full_name="Dewi", email="dewi@example.com")
        cls.outsider = TeamMember.objects.create(
            team=Team.objects.create(name="Sales", slug="sales"), full_name="Out", email="out@example.com"
        )
        cls.task = Task.objects.create(
            team=cls.team,
            role=cls.role,
            title="Reply",
            cadence="daily",
            effort_hours=Decimal("1"),
            start_date=datetime.date(2026, 11, 30),
        )
        cls.assignment = Assignment.objects.create(task=cls.task, member=cls.member, share_percent=60)
        cls.holding = RoleHolding.objects.create(member=cls.member, role=cls.role, start_date=datetime.date(2026, 1, 1))

    def setUp(self):
        self.client = Client()
        self.client.force_login(self.manager)

    def post_anything(self, url: str, fields: list[str], values: dict, htmx: bool):
        data = {name: values.get(name, "") for name in fields}
        response = self.client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
        self.assertLess(response.status_code, 500, (url, data))
        assert_every_row_is_valid()

    def id_values(self):
        ids = [self.member.pk, self.other.pk, self.outsider.pk, self.role.pk, 0, 10**18]
        return st.one_of(field_values, st.sampled_from([str(value) for value in ids]))

    @EXAMPLES
    @given(data=st.data(), htmx=st.booleans())
    def test_task_forms(self, data, htmx):
        names = ["title", "role", "channel", "cadence", "effort_hours", "start_date", "end_date", "description"]
        for prefix, url in [
            ("new", reverse("assignments:task_new", args=["marketing"])),
            (f"edit-{self.task.pk}", reverse("assignments:task_edit", args=["marketing", self.task.pk])),
        ]:
            fields = [f"{prefix}-{name}" for name in names]
            values = data.draw(st.fixed_dictionaries({}, optional={field: self.id_values() for field in fields}))
            self.post_anything(url, fields, values, htmx)

    @EXAMPLES
    @given(data=st.data(), htmx=st.booleans())
    def test_assignment_forms(self, data, htmx):
        prefix = f"assign-{self.task.pk}"
        fields = [f"{prefix}-member", f"{prefix}-share_percent"]
        values = data.draw(st.fixed_dictionaries({}, optional={field: self.id_values() for field in fields}))
        self.post_anything(reverse("assignments:assign", args=["marketing", self.task.pk]), fields, values, htmx)
        field = f"share-{self.assignment.pk}-share_percent"
        values = data.draw(st.fixed_dictionaries({}, optional={field: field_values}))
        url = reverse("assignments:assignment_share", args=["marketing", self.assignment.pk])
        self.post_anything(url, [field], values, htmx)

    @EXAMPLES
    @given(data=st.data(), htmx=st.booleans())
    def test_member_forms(self, data, htmx):
        forms = [
            (
                reverse("assignments:holding_add", args=[self.member.pk]),
                ["holding-role", "holding-start_date", "holding-end_date"],
            ),
            (
                reverse("assignments:holding_end", args=[self.member.pk, self.holding.pk]),
                [f"end-{self.holding.pk}-end_date"],
            ),
            (
                reverse("assignments:time_off_add", args=[self.member.pk]),
                ["off-start_date", "off-end_date", "off-reason"],
            ),
            (
                reverse("assignments:acknowledge_dual_role", args=["marketing", self.member.pk]),
                ["note", "valid_until", "start"],
            ),
        ]
        for url, fields in forms:
            values = data.draw(st.fixed_dictionaries({}, optional={field: self.id_values() for field in fields}))
            self.post_anything(url, fields, values, htmx)

    @EXAMPLES
    @given(
        params=st.dictionaries(
            st.sampled_from(["start", "weeks", "page", "focus", "role", "channel", "member", "unassigned"]),
            field_values,
        )
    )
    def test_get_pages_and_the_json_api(self, params):
        for url in [
            reverse("assignments:api_team_workload", args=["marketing"]),
            reverse("assignments:team_overview", args=["marketing"]),
            reverse("assignments:team_board", args=["marketing"]),
        ]:
            response = self.client.get(url, params)
            self.assertIn(response.status_code, {200, 400}, (url, params))
            if url.startswith("/api/"):
                json.loads(response.content)  # always JSON, errors too


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def valid_plan() -> dict:
    return {
        "team": {"name": "Marketing", "slug": "marketing"},
        "roles": [{"name": "Specialist", "slug": "specialist", "focus": "operational", "responsibilities": ["Post"]}],
        "members": [
            {
                "full_name": "Sari",
                "email": "sari@example.com",
                "roles": [{"role": "specialist", "start_date": "2026-01-01"}],
                "time_off": [{"start_date": "2026-12-03", "end_date": "2026-12-04"}],
            }
        ],
        "tasks": [
            {
                "title": "Reply",
                "role": "specialist",
                "cadence": "daily",
                "effort_hours": "1.00",
                "start_date": "2026-11-30",
                "assignees": [{"member": "sari@example.com", "share_percent": 100}],
            }
        ],
    }


PATHS = [
    ("team", "name"), ("team", "slug"), ("roles", 0, "focus"), ("roles", 0, "responsibilities"),
    ("members", 0, "email"), ("members", 0, "weekly_capacity_hours"), ("members", 0, "roles", 0, "start_date"),
    ("members", 0, "time_off", 0, "end_date"), ("tasks", 0, "cadence"), ("tasks", 0, "effort_hours"),
    ("tasks", 0, "end_date"), ("tasks", 0, "assignees", 0, "share_percent"), ("tasks", 0, "assignees"),
]  # fmt: skip


class PlanImportTest(TestCase):
    @EXAMPLES
    @given(document=json_values)
    def test_any_json_is_refused_with_paths_or_imported(self, document):
        try:
            plan_import(document=document)
        except PlanError as error:
            assert error.errors and all(": " in line for line in error.errors)
        assert_every_row_is_valid()

    @EXAMPLES
    @given(path=st.sampled_from(PATHS), value=json_values)
    def test_a_valid_plan_with_one_value_changed_is_refused_with_paths_or_imported(self, path, value):
        document = valid_plan()
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        try:
            plan_import(document=document)
        except PlanError as error:
            assert error.errors
        assert_every_row_is_valid()


class AccountFormsTest(TestCase):
    @EXAMPLES
    @given(username=field_values, password=field_values, language=field_values, next_url=field_values)
    def test_login_and_language_forms_never_fail(self, username, password, language, next_url):
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": password, "next": next_url})
        self.assertIn(response.status_code, {200, 302, 429})
        response = client.post(reverse("set_language"), {"language": language, "next": next_url})
        self.assertIn(response.status_code, {200, 302, 204})
        user = get_user_model().objects.create_user(f"u{get_user_model().objects.count()}", password="a-good-password")
        client.force_login(user)
        response = client.post(
            reverse("password_change"),
            {"old_password": password, "new_password1": username, "new_password2": username},
        )
        self.assertIn(response.status_code, {200, 302})
