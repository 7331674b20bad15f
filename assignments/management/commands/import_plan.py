import json
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.plan import PlanError, plan_import


def read_plan_file(path: Path):
    """Parse a plan file; decimals stay exact (no float on the way in)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError as error:
        raise CommandError(_("%(path)s: no such file") % {"path": path}) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(_("%(path)s: not valid JSON (%(error)s)") % {"path": path, "error": error}) from error


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
                ngettext(
                    "%(count)s problem in %(file)s; nothing was imported.",
                    "%(count)s problems in %(file)s; nothing was imported.",
                    count,
                )
                % {"count": count, "file": file}
            ) from error
        if not result.changed:
            self.stdout.write(_("Team %(team)s: already up to date, nothing changed.") % {"team": result.team})
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Team %(team)s imported: %(summary)s.") % {"team": result.team, "summary": result.summary()}
            )
        )
