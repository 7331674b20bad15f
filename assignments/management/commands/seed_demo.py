import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.recording import recording
from assignments.plan import PlanError, plan_import, read_plan_file
from roles.models import Team, TeamMember

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# The same plan in each language the demo speaks: slugs, emails and dates are identical.
DEMO_PLANS = {"en": DEMO_DIR / "marketing_plan.json", "id": DEMO_DIR / "marketing_plan.id.json"}
# The demo file is written as if this Monday were the current week; seeding moves
# every date by whole weeks so the demo's situations fall in the weeks a user sees.
DEMO_ANCHOR_MONDAY = datetime.date(2026, 11, 23)

# username, password, what it is for; the member login is linked to DEMO_MEMBER_EMAIL.
DEMO_LOGINS = [
    ("admin", "teamplanner-admin", gettext_lazy("admin (Django admin, everything)")),
    ("manager", "teamplanner-manager", gettext_lazy("manager of the Marketing team")),
    ("rina", "teamplanner-member", gettext_lazy("team member Rina Hartono")),
]
DEMO_MEMBER_EMAIL = "rina@example.com"
DEMO_MANAGER_NAME = ("Anita", "Wijaya")  # the history names the manager: "Anita Wijaya changed …"


def shift_dates(node: Any, days: int) -> Any:
    """Every ``*_date`` value in the plan document moved by ``days``."""
    if isinstance(node, list):
        return [shift_dates(item, days) for item in node]
    if isinstance(node, dict):
        return {
            key: (
                (datetime.date.fromisoformat(value) + datetime.timedelta(days=days)).isoformat()
                if key.endswith("_date") and isinstance(value, str)
                else shift_dates(value, days)
            )
            for key, value in node.items()
        }
    return node


class Command(BaseCommand):
    help = (
        "Load the demo marketing team (roles, six members, tasks of every cadence) and its "
        "admin, manager and member logins. Does nothing when the demo team already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even though DJANGO_DEBUG is off (a production setup)."
        )
        parser.add_argument(
            "--language",
            choices=sorted(DEMO_PLANS),
            default="en",
            help="Language of the demo's roles, responsibilities and tasks (default: en).",
        )

    def handle(self, *args, force: bool, language: str, **options):
        with translation.override(language), recording("seed_demo"):
            self._handle(force=force, language=language)

    def _handle(self, *, force: bool, language: str):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DJANGO_DEBUG is off, so this looks like production: the demo creates logins with "
                    "published passwords. Run with --force if you really want it."
                )
            )
        document = read_plan_file(DEMO_PLANS[language])
        slug = document["team"]["slug"]
        with transaction.atomic():
            if Team.objects.filter(slug=slug).exists():
                self.stdout.write(_("The demo team %(slug)s is already there; nothing changed.") % {"slug": slug})
            else:
                today = timezone.localdate()
                this_monday = today - datetime.timedelta(days=today.weekday())
                shift = (this_monday - DEMO_ANCHOR_MONDAY).days
                self.stdout.write(
                    _("Loading the demo plan from %(file)s (dates moved by %(days)+d days)…")
                    % {"file": DEMO_PLANS[language].name, "days": shift}
                )
                try:
                    result = plan_import(document=shift_dates(document, shift))
                except PlanError as error:  # the shipped file is tested; this is a broken checkout
                    raise CommandError(_("The demo plan is invalid:") + "\n" + "\n".join(error.errors)) from error
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Demo team %(slug)s created: %(summary)s.") % {"slug": slug, "summary": result.summary()}
                    )
                )
            created_logins = self._create_logins(Team.objects.get(slug=slug))
        self.stdout.write("\n" + _("Demo logins (username / password):"))
        for username, password, purpose in DEMO_LOGINS:
            note = "" if username in created_logins else "  " + _("(already existed; password left as it was)")
            self.stdout.write(f"  {username:<8} / {password:<20} {purpose}{note}")

    def _create_logins(self, team: Team) -> set[str]:
        User = get_user_model()
        created = set()
        for username, password, _purpose in DEMO_LOGINS:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username=username, password=password)
            created.add(username)
            if username == "admin":
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            elif username == "manager":
                user.first_name, user.last_name = DEMO_MANAGER_NAME
                user.save(update_fields=["first_name", "last_name"])
                team.managers.add(user)
            else:
                for member in TeamMember.objects.filter(email=DEMO_MEMBER_EMAIL, user__isnull=True):
                    member.user = user  # saved row by row, so the history records the link
                    member.save(update_fields=["user"])
        return created
