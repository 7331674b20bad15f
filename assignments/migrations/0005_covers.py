"""Covers: a substitute does an assignee's duties while they are away.

Two rules the database holds beyond the model's check constraints:

- a substitute is never the assignment's own member: the member lives on the assignment's row, so
  a trigger holds it, on the cover (insert, update) and on the assignment (a change of member that
  would make an existing cover its own); the error is an integrity error on both backends;
- two covers of one assignment never overlap: an exclusion constraint on PostgreSQL (``btree_gist``
  is there since roles 0004); on SQLite the services lock the task's row and check first.
"""

import datetime
import django.db.models.deletion
import roles.models
from django.conf import settings
from django.db import migrations, models

SELF_COVER = "A substitute cannot be the assigned member themself."

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER cover_not_self_{event.lower()} BEFORE {event} ON assignments_cover
    WHEN NEW.member_id = (SELECT member_id FROM assignments_assignment WHERE id = NEW.assignment_id)
    BEGIN SELECT RAISE(ABORT, '{SELF_COVER}'); END"""
    for event in ("INSERT", "UPDATE")
] + [
    f"""CREATE TRIGGER assignment_not_own_cover BEFORE UPDATE OF member_id ON assignments_assignment
    WHEN EXISTS (SELECT 1 FROM assignments_cover WHERE assignment_id = NEW.id AND member_id = NEW.member_id)
    BEGIN SELECT RAISE(ABORT, '{SELF_COVER}'); END"""
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS cover_not_self_insert",
    "DROP TRIGGER IF EXISTS cover_not_self_update",
    "DROP TRIGGER IF EXISTS assignment_not_own_cover",
]

POSTGRESQL = [
    # Two functions, one per table: PL/pgSQL resolves every NEW.field of an expression against the row
    # it runs on, so one function reading NEW.assignment_id fails on an assignment's row whatever its branches.
    f"""CREATE FUNCTION cover_not_self() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.member_id = (SELECT member_id FROM assignments_assignment WHERE id = NEW.assignment_id) THEN
            RAISE EXCEPTION '{SELF_COVER}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION assignment_not_own_cover() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM assignments_cover WHERE assignment_id = NEW.id AND member_id = NEW.member_id) THEN
            RAISE EXCEPTION '{SELF_COVER}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER cover_not_self BEFORE INSERT OR UPDATE ON assignments_cover
    FOR EACH ROW EXECUTE FUNCTION cover_not_self()""",
    """CREATE TRIGGER assignment_not_own_cover BEFORE UPDATE OF member_id ON assignments_assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_not_own_cover()""",
    """ALTER TABLE assignments_cover ADD CONSTRAINT cover_no_overlap EXCLUDE USING gist
    (assignment_id WITH =, daterange(start_date, end_date, '[]') WITH &&)""",
]
POSTGRESQL_DROP = [
    "ALTER TABLE assignments_cover DROP CONSTRAINT IF EXISTS cover_no_overlap",
    "DROP TRIGGER IF EXISTS assignment_not_own_cover ON assignments_assignment",
    "DROP TRIGGER IF EXISTS cover_not_self ON assignments_cover",
    "DROP FUNCTION IF EXISTS assignment_not_own_cover()",
    "DROP FUNCTION IF EXISTS cover_not_self()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_task_title_ignoring_case"),
        ("roles", "0005_capacity_validators"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Cover",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "start_date",
                    models.DateField(validators=[roles.models.validate_plan_date], verbose_name="start date"),
                ),
                ("end_date", models.DateField(validators=[roles.models.validate_plan_date], verbose_name="end date")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "arranged_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="arranged by",
                    ),
                ),
                (
                    "assignment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="covers",
                        to="assignments.assignment",
                        verbose_name="assignment",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="covers",
                        to="roles.teammember",
                        verbose_name="substitute",
                    ),
                ),
            ],
            options={
                "verbose_name": "cover",
                "verbose_name_plural": "covers",
                "ordering": ["assignment", "start_date"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("end_date__gte", models.F("start_date"))),
                        name="cover_end_on_or_after_start",
                        violation_error_message="The end date must be on or after the start date.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("start_date__isnull", True),
                                ("start_date__range", (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))),
                                _connector="OR",
                            ),
                            models.Q(
                                ("end_date__isnull", True),
                                ("end_date__range", (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))),
                                _connector="OR",
                            ),
                        ),
                        name="cover_dates_in_range",
                        violation_error_message="Dates must be between 1900-01-01 and 2999-12-31.",
                    ),
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        ),
    ]
