import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assignments.plan import plan_export, unknown_team_message, write_plan_file
from roles.models import Team


class Command(BaseCommand):
    help = "Export one team's plan (roles, members, tasks) as JSON, to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument(
            "--output", type=Path, help="Write to this file instead of stdout (whole or not at all: never half)."
        )

    def handle(self, *args, team: str, output: Path | None, **options):
        try:
            team_obj = Team.objects.get(slug=team)
        except Team.DoesNotExist as error:
            raise CommandError(unknown_team_message(team)) from error
        text = json.dumps(plan_export(team=team_obj), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        write_plan_file(output, text)
        self.stderr.write(_("Wrote the plan of team %(team)s to %(file)s.") % {"team": team, "file": output})
