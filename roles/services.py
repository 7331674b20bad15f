"""Writes on people: role holdings and time off. Each validates every model rule and runs atomically."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Role, RoleHolding, TeamMember, TimeOff


@transaction.atomic
def role_holding_create(
    *, member: TeamMember, role: Role, start_date: datetime.date, end_date: datetime.date | None = None
) -> RoleHolding:
    holding = RoleHolding(member=member, role=role, start_date=start_date, end_date=end_date)
    holding.full_clean()
    try:
        with transaction.atomic():
            holding.save()
    except IntegrityError as error:  # the same holding added at the same moment by someone else
        raise ValidationError(_("This person already holds this role from that date.")) from error
    return holding


@transaction.atomic
def role_holding_end(*, holding: RoleHolding, end_date: datetime.date) -> RoleHolding:
    holding = RoleHolding.objects.select_for_update().get(pk=holding.pk)
    holding.end_date = end_date
    holding.full_clean()
    holding.save(update_fields=["end_date"])
    return holding


@transaction.atomic
def time_off_create(
    *, member: TeamMember, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> TimeOff:
    time_off = TimeOff(member=member, start_date=start_date, end_date=end_date, reason=reason)
    time_off.full_clean()
    time_off.save()
    return time_off
