import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from assignments.cli import add_team_window_arguments, team_by_slug, valid_window
from assignments.document import workload_document, workload_text
from assignments.exports import workload_csv
from assignments.forms import WorkloadWindowForm
from assignments.report import team_report


class Command(BaseCommand):
    help = (
        "Show a team's workload week by week, and its flags, as a table, as the JSON document, "
        "or as the CSV export (one row per member and week)."
    )

    def add_arguments(self, parser):
        add_team_window_arguments(
            parser,
            formats=("text", "json", "csv"),
            language_help="Language of the text output (default: the LANGUAGE_CODE setting). JSON and CSV never do.",
        )

    def handle(self, *args, language: str | None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, *, team: str, start: str, weeks: str, format: str, **options):
        window = valid_window(WorkloadWindowForm({"start": start, "weeks": weeks}))
        report = team_report(team=team_by_slug(team), start=window["start"], weeks=window["weeks"])
        if format == "json":
            self.stdout.write(json.dumps(workload_document(report), indent=2, ensure_ascii=False))
        elif format == "csv":  # the export's very text, BOM included: redirected to a file, it is the download
            self.stdout.write(workload_csv(workload_document(report)), ending="")
        else:
            self.stdout.write(workload_text(report), ending="")
