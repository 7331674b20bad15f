"""Time off and role holdings are recorded once: merge what overlaps, then (PostgreSQL) forbid it.

``TimeOff.clean`` and ``RoleHolding.clean`` refuse overlaps on every backend. On PostgreSQL an
exclusion constraint holds the same rule in the database (``btree_gist`` lets the member and role
ids sit in the GiST index beside the date range; it is a trusted extension, so the database owner
may create it). SQLite has no such constraint: there the services lock the member's row instead.

Existing overlaps are merged first, so no day off and no holding is lost: overlapping periods of
one member (time off) or of one member and role (holdings) become one period from the earliest
start to the latest end (open if any was open).
"""

from django.db import migrations

EXCLUSIONS = {
    "roles_timeoff": ("timeoff_no_overlap", "member_id WITH =, daterange(start_date, end_date, '[]') WITH &&"),
    "roles_roleholding": (
        "roleholding_no_overlap",
        "member_id WITH =, role_id WITH =, daterange(start_date, end_date, '[]') WITH &&",
    ),
}


def _merge(rows, group_key) -> list:
    """Rows (objects with start_date, end_date) to delete after widening the first of each overlap."""
    doomed = []
    current = None
    for row in sorted(rows, key=lambda row: (group_key(row), row.start_date)):
        same_group = current is not None and group_key(current) == group_key(row)
        if not same_group or (current.end_date is not None and row.start_date > current.end_date):
            current = row
            continue
        if current.end_date is not None and (row.end_date is None or row.end_date > current.end_date):
            current.end_date = row.end_date
            current.save(update_fields=["end_date"])
        doomed.append(row.pk)
    return doomed


def merge_overlaps(apps, schema_editor):
    TimeOff = apps.get_model("roles", "TimeOff")
    RoleHolding = apps.get_model("roles", "RoleHolding")
    TimeOff.objects.filter(pk__in=_merge(TimeOff.objects.all(), lambda row: row.member_id)).delete()
    holdings = RoleHolding.objects.all()
    RoleHolding.objects.filter(pk__in=_merge(holdings, lambda row: (row.member_id, row.role_id))).delete()


def add_exclusions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, (name, expression) in EXCLUSIONS.items():
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist ({expression})")


def drop_exclusions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (name, _expression) in EXCLUSIONS.items():
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("roles", "0003_dates_in_range")]

    operations = [
        migrations.RunPython(merge_overlaps, migrations.RunPython.noop),
        migrations.RunPython(add_exclusions, drop_exclusions),
    ]
