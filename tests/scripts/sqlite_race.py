"""Several writers assigning to one task at the same moment on a SQLite file (run by test_first_use).

Usage: DATABASE_URL=sqlite:////path/db.sqlite3 python tests/scripts/sqlite_race.py WRITERS SHARE
Prints one line per writer: "ok", "refused: <message>" or "error: <exception>".
"""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamplanner.settings")

import django

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assignments.models import Task  # noqa: E402
from assignments.services import assignment_create  # noqa: E402
from roles.models import Role, Team, TeamMember  # noqa: E402


def main(writers: int, share: int) -> None:
    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="Race", slug="race")
    role = Role.objects.create(name="Race role", slug="race-role", focus="operational")
    task = Task.objects.create(
        team=team, role=role, title="Race", cadence="daily", effort_hours=1, start_date="2026-11-30"
    )
    members = [
        TeamMember.objects.create(team=team, full_name=f"M{n}", email=f"m{n}@race.invalid") for n in range(writers)
    ]
    connection.close()
    barrier = threading.Barrier(writers)
    results = [""] * writers

    def write(index: int) -> None:
        barrier.wait()
        try:
            assignment_create(task=task, member=members[index], share_percent=share)
            results[index] = "ok"
        except ValidationError as error:
            results[index] = f"refused: {' '.join(error.messages)}"
        except Exception as error:  # what this script exists to catch
            results[index] = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("\n".join(results))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
