"""What the team commands (``workload``, ``suggest``) share: their window and team arguments, read alike."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.management.base import CommandError

from roles.models import Team

from .forms import DEFAULT_WEEKS
from .plan import unknown_team_message
from .workload import MAX_WEEKS

LANGUAGE_HELP = "Language of the text output (default: the LANGUAGE_CODE setting). JSON never changes."


def add_team_window_arguments(
    parser, *, language_help: str = LANGUAGE_HELP, formats: tuple[str, ...] = ("text", "json")
) -> None:
    """--team, --start, --weeks, --format (one of ``formats``) and --language, as every team command takes them."""
    parser.add_argument("--team", required=True, help="The team's slug.")
    parser.add_argument("--start", default="", help="A day of the first week, YYYY-MM-DD (default: this week).")
    parser.add_argument(
        "--weeks", default=str(DEFAULT_WEEKS), help=f"How many weeks, 1 to {MAX_WEEKS} (default {DEFAULT_WEEKS})."
    )
    parser.add_argument("--format", choices=list(formats), default="text")
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        help=language_help,
    )


def valid_window(form: forms.Form) -> dict:
    """The form's cleaned values, or a CommandError naming each bad option."""
    if not form.is_valid():
        raise CommandError("; ".join(f"--{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
    return form.cleaned_data


def team_by_slug(slug: str) -> Team:
    try:
        return Team.objects.get(slug=slug)
    except Team.DoesNotExist as error:
        raise CommandError(unknown_team_message(slug)) from error
