import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from assignments.cli import add_team_window_arguments, team_by_slug, valid_window
from assignments.document import workload_document, workload_text
from assignments.forms import WorkloadWindowForm
from assignments.report import team_report


class Command(BaseCommand):
    help = "Show a team's workload week by week, and its flags, as a table or as the JSON document."

    def add_arguments(self, parser):
        add_team_window_arguments(parser)

    def handle(self, *args, language: str | None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, *, team: str, start: str, weeks: str, format: str, **options):
        window = valid_window(WorkloadWindowForm({"start": start, "weeks": weeks}))
        report = team_report(team=team_by_slug(team), start=window["start"], weeks=window["weeks"])
        if format == "json":
            self.stdout.write(json.dumps(workload_document(report), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(workload_text(report), ending="")
