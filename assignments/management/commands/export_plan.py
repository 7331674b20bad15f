import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assignments.plan import plan_export
from roles.models import Team


class Command(BaseCommand):
    help = "Export one team's plan (roles, members, tasks) as JSON, to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--output", type=Path, help="Write to this file instead of stdout.")

    def handle(self, *args, team: str, output: Path | None, **options):
        try:
            team_obj = Team.objects.get(slug=team)
        except Team.DoesNotExist as error:
            known = ", ".join(Team.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No team with slug {team!r} (teams: {known}).") from error
        text = json.dumps(plan_export(team=team_obj), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote the plan of team {team} to {output}.")
