"""Triggers that renew a team's plan revision on every write to its plan (assignments/revisions.py)."""

from django.db import migrations

from assignments.revisions import create_statements, drop_statements

# The plan tables as of this migration (a later plan table adds its own triggers in its own migration).
TABLES = {
    "roles_teammember": "{row}.team_id",
    "roles_roleholding": "(SELECT team_id FROM roles_teammember WHERE id = {row}.member_id)",
    "roles_timeoff": "(SELECT team_id FROM roles_teammember WHERE id = {row}.member_id)",
    "roles_role": None,
    "assignments_task": "{row}.team_id",
    "assignments_assignment": "(SELECT team_id FROM assignments_task WHERE id = {row}.task_id)",
    "assignments_cover": (
        "(SELECT t.team_id FROM assignments_assignment a JOIN assignments_task t ON t.id = a.task_id"
        " WHERE a.id = {row}.assignment_id)"
    ),
    "assignments_dualroleacknowledgement": "(SELECT team_id FROM roles_teammember WHERE id = {row}.member_id)",
}


def create(apps, schema_editor):
    for statement in create_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in drop_statements(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0005_covers"), ("roles", "0006_team_plan_revision")]

    operations = [migrations.RunPython(create, drop)]
