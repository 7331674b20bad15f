import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assignments.document import workload_document, workload_text
from assignments.forms import DEFAULT_WEEKS, WorkloadWindowForm
from assignments.plan import unknown_team_message
from assignments.report import team_report
from assignments.workload import MAX_WEEKS
from roles.models import Team


class Command(BaseCommand):
    help = "Show a team's workload week by week, and its flags, as a table or as the JSON document."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--start", default="", help="A day of the first week, YYYY-MM-DD (default: this week).")
        parser.add_argument(
            "--weeks", default=str(DEFAULT_WEEKS), help=f"How many weeks, 1 to {MAX_WEEKS} (default {DEFAULT_WEEKS})."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the text output (default: the LANGUAGE_CODE setting). JSON never changes.",
        )

    def handle(self, *args, language: str | None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, *, team: str, start: str, weeks: str, format: str, **options):
        window = WorkloadWindowForm({"start": start, "weeks": weeks})
        if not window.is_valid():
            problems = "; ".join(f"--{name}: {' '.join(errors)}" for name, errors in window.errors.items())
            raise CommandError(problems)
        try:
            team_obj = Team.objects.get(slug=team)
        except Team.DoesNotExist as error:
            raise CommandError(unknown_team_message(team)) from error
        report = team_report(team=team_obj, start=window.cleaned_data["start"], weeks=window.cleaned_data["weeks"])
        if format == "json":
            self.stdout.write(json.dumps(workload_document(report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(workload_text(report), ending="")
