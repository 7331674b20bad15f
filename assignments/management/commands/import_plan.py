import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assignments.plan import PlanError, plan_import


def read_plan_file(path: Path):
    """Parse a plan file; decimals stay exact (no float on the way in)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not valid JSON ({error})") from error


class Command(BaseCommand):
    help = "Import one team's plan (roles, members, tasks) from a JSON file. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The plan file (JSON).")

    def handle(self, *args, file: Path, **options):
        document = read_plan_file(file)
        try:
            result = plan_import(document=document)
        except PlanError as error:
            for line in error.errors:
                self.stderr.write(f"{file}: {line}")
            count = len(error.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {file}; nothing was imported."
            ) from error
        if not result.changed:
            self.stdout.write(f"Team {result.team}: already up to date, nothing changed.")
            return
        summary = ", ".join(f"{count} {what}" for what, count in sorted(result.changes.items()))
        self.stdout.write(self.style.SUCCESS(f"Team {result.team} imported: {summary}."))
