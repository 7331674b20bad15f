from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity.recording import recording
from assignments.plan import ImportResult, PlanError, plan_import, read_plan_file


class Command(BaseCommand):
    help = "Import one team's plan (roles, members, tasks) from a JSON file. All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The plan file (JSON).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what the import would change, without writing anything.",
        )
        parser.add_argument(
            "--update-shared-roles",
            action="store_true",
            help="Also change roles that other teams use (roles are one catalog shared by all teams).",
        )

    def handle(self, *args, file: Path, dry_run: bool, update_shared_roles: bool, **options):
        document = read_plan_file(file)
        try:
            with recording(f"import_plan {file.name}"):  # the history's "who": the command and its file
                result = plan_import(document=document, dry_run=dry_run, update_shared_roles=update_shared_roles)
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
        self.stdout.write(self._outcome(result))

    def _outcome(self, result: ImportResult) -> str:
        values = {"team": result.team, "summary": result.summary()}
        if result.dry_run and not result.changed:
            return _("Dry run, nothing was written. Team %(team)s: already up to date, nothing would change.") % values
        if result.dry_run:
            return _("Dry run, nothing was written. Team %(team)s would be imported: %(summary)s.") % values
        if not result.changed:
            return _("Team %(team)s: already up to date, nothing changed.") % values
        return self.style.SUCCESS(_("Team %(team)s imported: %(summary)s.") % values)
