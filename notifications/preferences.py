"""What a logged-in person receives, and the form that changes it (docs/rules.md, "Notifications").

Digests and notices go to the emails of the team members linked to the login, alerts to the login's own
email and only if it manages a team: the page offers exactly the kinds that can reach this person, each
with the addresses it applies to. Three queries, whatever the number of teams or opt-outs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from roles.models import Team, TeamMember

from .models import SentMessage
from .optouts import normalized, opted_out_of


@dataclass(frozen=True)
class MailChoice:
    kind: str
    label: str
    addresses: tuple[str, ...]
    receiving: bool  # some address of it has not opted out


@dataclass(frozen=True)
class MailChoices:
    offered: list[MailChoice]
    no_member: bool  # no team member is linked to the login: no digest or notice to choose
    manager_without_email: bool  # a manager whose login has no email: no alert can be sent


def mail_choices(*, user) -> MailChoices:
    """The kinds of message that can reach ``user``, each with whether they receive it now."""
    member_emails = tuple(TeamMember.objects.filter(user=user).exclude(email="").values_list("email", flat=True))
    manages = Team.objects.filter(managers=user).exists()
    alert_addresses = (user.email,) if manages and user.email else ()
    refused = opted_out_of(member_emails + alert_addresses)

    def choice(kind: str, label, addresses: tuple[str, ...]) -> MailChoice:
        receiving = any((normalized(address), kind) not in refused for address in addresses)
        return MailChoice(kind=kind, label=label, addresses=addresses, receiving=receiving)

    offered = []
    if member_emails:
        offered.append(choice(SentMessage.Kind.DIGEST, _("Weekly digest of my duties"), member_emails))
        offered.append(choice(SentMessage.Kind.NOTICE, _("Assignment notices"), member_emails))
    if alert_addresses:
        offered.append(choice(SentMessage.Kind.ALERT, _("Flag alerts for my teams"), alert_addresses))
    return MailChoices(offered=offered, no_member=not member_emails, manager_without_email=manages and not user.email)


class PreferencesForm(forms.Form):
    """A checkbox per kind offered, ticked when it is received; unticked on saving means an opt-out."""

    def __init__(self, *args, choices: list[MailChoice], **kwargs):
        super().__init__(*args, **kwargs)
        for offered in choices:
            self.fields[offered.kind] = forms.BooleanField(
                label=offered.label,
                required=False,
                initial=offered.receiving,
                help_text=_("Sent to %(address)s") % {"address": ", ".join(offered.addresses)},
            )
