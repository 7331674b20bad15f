"""Who should take a task, from the command line: the JSON is the API's document, the text a ranked list."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.cli import add_team_window_arguments, team_by_slug, valid_window
from assignments.formatting import hours_display, percent_text
from assignments.forms import SuggestionWindowForm
from assignments.models import Task
from assignments.suggestions import Suggestions, task_suggestions


class Command(BaseCommand):
    help = "Rank the active members of a team for taking a task (docs/rules.md, Suggestions)."

    def add_arguments(self, parser):
        add_team_window_arguments(
            parser, language_help="Language of the reasons, in the text and the JSON (default: LANGUAGE_CODE)."
        )
        parser.add_argument("--task", required=True, help="The task's title (ignoring case).")
        parser.add_argument(
            "--share", default="", help="The share the candidate would take, 1 to 100 (default: what is left)."
        )

    def handle(self, *args, language: str | None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, *, team: str, task: str, share: str, start: str, weeks: str, format: str, **options):
        window = valid_window(SuggestionWindowForm({"start": start, "weeks": weeks, "share": share}))
        team_obj = team_by_slug(team)
        task_obj = Task.objects.filter(team=team_obj, title__iexact=task.strip(), is_active=True).first()
        if task_obj is None:
            message = _("Team %(team)s has no active task titled “%(title)s”.") % {"team": team, "title": task}
            raise CommandError(message)
        found = task_suggestions(
            task=task_obj,
            start=window["start"],
            weeks=window["weeks"],
            share_percent=window["share"],
        )
        if format == "json":
            self.stdout.write(json.dumps(found.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(suggestions_text(found), ending="")


def suggestions_text(found: Suggestions) -> str:
    lines = [
        _("Who could take %(share)s of “%(task)s”, best first:")
        % {"share": percent_text(found.share_percent / 100), "task": found.task.title}
    ]
    for rank, candidate in enumerate(found.candidates, start=1):
        lines.append(
            f"{rank:>3}. {candidate.member.name} <{candidate.member.email}>  +{hours_display(candidate.added_hours)} h"
        )
        lines.append(f"     {' · '.join(candidate.reasons())}")
    if not found.candidates:
        lines.append(_("Nobody: every active member already has a share of it."))
    return "\n".join(lines) + "\n"
