"""Who should take a task, from the command line: the JSON is the API's document, the text a ranked list."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from assignments.formatting import hours_display, percent_text
from assignments.forms import DEFAULT_WEEKS, SuggestionWindowForm
from assignments.models import Task
from assignments.plan import unknown_team_message
from assignments.suggestions import Suggestions, task_suggestions
from assignments.workload import MAX_WEEKS
from roles.models import Team


class Command(BaseCommand):
    help = "Rank the active members of a team for taking a task (docs/rules.md, Suggestions)."

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="The team's slug.")
        parser.add_argument("--task", required=True, help="The task's title (ignoring case).")
        parser.add_argument(
            "--share", default="", help="The share the candidate would take, 1 to 100 (default: what is left)."
        )
        parser.add_argument("--start", default="", help="A day of the first week, YYYY-MM-DD (default: this week).")
        parser.add_argument(
            "--weeks", default=str(DEFAULT_WEEKS), help=f"How many weeks, 1 to {MAX_WEEKS} (default {DEFAULT_WEEKS})."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the reasons (default: the LANGUAGE_CODE setting).",
        )

    def handle(self, *args, language: str | None, **options):
        with translation.override(language or settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, *, team: str, task: str, share: str, start: str, weeks: str, format: str, **options):
        window = SuggestionWindowForm({"start": start, "weeks": weeks, "share": share})
        if not window.is_valid():
            raise CommandError("; ".join(f"--{name}: {' '.join(errors)}" for name, errors in window.errors.items()))
        try:
            team_obj = Team.objects.get(slug=team)
        except Team.DoesNotExist as error:
            raise CommandError(unknown_team_message(team)) from error
        task_obj = Task.objects.filter(team=team_obj, title__iexact=task.strip(), is_active=True).first()
        if task_obj is None:
            message = _("Team %(team)s has no active task titled “%(title)s”.") % {"team": team, "title": task}
            raise CommandError(message)
        found = task_suggestions(
            task=task_obj,
            start=window.cleaned_data["start"],
            weeks=window.cleaned_data["weeks"],
            share_percent=window.cleaned_data["share"],
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
