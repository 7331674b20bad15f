"""The team's plan revision: one mechanism, in the database, that every writer goes through.

Every table the workload engine reads has triggers that give the team a new random ``Team.plan_revision``
whenever one of its rows is inserted, changed or deleted, in the same transaction as the write. Services,
the admin, the plan import (its bulk writes too), raw SQL: nothing can write the plan without them, so a
result cached under the revision (``report``) can never be stale. The revision is random, not a counter,
so a database rebuilt or restored from a backup never repeats one a shared cache still holds.

A table's team is reached by a path of joins (``PLAN_TABLES``); a row whose path is broken because its
parent is deleted in the same statement is covered by the parent's own trigger. A change to a role
touches every team (the catalog is shared). On PostgreSQL the triggers are deferred to the commit and
renew each team's revision once per transaction (a bulk import of 50,000 rows writes the team row once,
at the end, after every other lock is held, so they add no lock-order deadlock); SQLite runs one write
transaction at a time anyway and renews it per row.

A new plan table gets its triggers in its own migration with ``create_statements``; the test
``tests/test_plan_revision.py`` fails for a plan table without them.
"""

from __future__ import annotations

# table -> SQL giving the team id of a row, with {row} standing for NEW or OLD; None: every team.
PLAN_TABLES: dict[str, str | None] = {
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
    "assignments_taskinvolvement": "(SELECT team_id FROM assignments_task WHERE id = {row}.task_id)",
}

_SQLITE_RENEW = "UPDATE roles_team SET plan_revision = abs(random() % 4611686018427387904){where};"


def _sqlite(table: str, path: str | None) -> list[str]:
    statements = []
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
        if path is None:
            body = _SQLITE_RENEW.format(where="")
        else:
            teams = ", ".join(path.format(row=row) for row in rows)
            body = _SQLITE_RENEW.format(where=f" WHERE id IN ({teams})")
        statements.append(
            f"CREATE TRIGGER {table}_renews_plan_{event.lower()} AFTER {event} ON {table} BEGIN {body} END"
        )
    return statements


def _postgresql(table: str, path: str | None) -> list[str]:
    function = f"{table}_renews_plan"
    if path is None:
        body = "UPDATE roles_team SET plan_revision = floor(random() * 4611686018427387904)::bigint;"
    else:
        # Once per team and transaction: the setting is local to the transaction (set_config's third argument).
        body = f"""
        FOR team IN SELECT {path.format(row="NEW")} WHERE TG_OP <> 'DELETE'
                    UNION SELECT {path.format(row="OLD")} WHERE TG_OP <> 'INSERT' LOOP
            CONTINUE WHEN team IS NULL OR current_setting('teamplanner.renewed_' || team, true) = '1';
            UPDATE roles_team SET plan_revision = floor(random() * 4611686018427387904)::bigint WHERE id = team;
            PERFORM set_config('teamplanner.renewed_' || team, '1', true);
        END LOOP;"""
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE team bigint;
        BEGIN {body}
            RETURN NULL;
        END $$""",
        f"""CREATE CONSTRAINT TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]


def create_statements(vendor: str, tables: dict[str, str | None]) -> list[str]:
    build = {"sqlite": _sqlite, "postgresql": _postgresql}.get(vendor)
    return [statement for table, path in tables.items() for statement in build(table, path)] if build else []


def raci_switch_statements(vendor: str) -> list[str]:
    """The team row's own trigger: switching RACI on or off changes the flags, so it renews the revision."""
    if vendor == "sqlite":
        return [
            "CREATE TRIGGER roles_team_raci_switch AFTER UPDATE OF raci_enabled ON roles_team"
            " WHEN OLD.raci_enabled <> NEW.raci_enabled BEGIN"
            f" {_SQLITE_RENEW.format(where=' WHERE id = NEW.id')} END"
        ]
    if vendor == "postgresql":
        return [
            """CREATE FUNCTION roles_team_raci_switch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.plan_revision := floor(random() * 4611686018427387904)::bigint;
                RETURN NEW;
            END $$""",
            """CREATE TRIGGER roles_team_raci_switch BEFORE UPDATE OF raci_enabled ON roles_team
            FOR EACH ROW WHEN (OLD.raci_enabled IS DISTINCT FROM NEW.raci_enabled)
            EXECUTE FUNCTION roles_team_raci_switch()""",
        ]
    return []


def drop_raci_switch_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return ["DROP TRIGGER IF EXISTS roles_team_raci_switch"]
    if vendor == "postgresql":
        return [
            "DROP TRIGGER IF EXISTS roles_team_raci_switch ON roles_team",
            "DROP FUNCTION IF EXISTS roles_team_raci_switch()",
        ]
    return []


def drop_statements(vendor: str, tables: dict[str, str | None]) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_renews_plan_{event}"
            for table in tables
            for event in ("insert", "update", "delete")
        ]
    if vendor == "postgresql":
        return [
            statement
            for table in tables
            for statement in (
                f"DROP TRIGGER IF EXISTS {table}_renews_plan ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_renews_plan()",
            )
        ]
    return []
