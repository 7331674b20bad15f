"""Writes on people: members, role holdings and time off. Each validates every model rule and runs atomically.

Every write on one person's rows locks that person's row first (``member_lock``), so two managers
recording overlapping time off or the same holding at the same moment queue, and the second one's
``full_clean`` sees the first one's row.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Role, RoleHolding, Team, TeamMember, TimeOff

MEMBER_FIELDS = ("full_name", "email", "job_title", "weekly_capacity_hours", "is_active")


def member_lock(*, member_id: int) -> TeamMember:
    """Lock the member's row until the surrounding transaction ends and return it fresh."""
    return TeamMember.objects.select_for_update().get(pk=member_id)


def _save_checked(instance, message_on_race: dict | str, *, force_insert: bool = False) -> None:
    """full_clean, then save; a unique row written meanwhile by someone else is a form error, not a 500."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(force_insert=force_insert)
    except IntegrityError as error:
        raise ValidationError(message_on_race) from error


@transaction.atomic
def member_create(
    *,
    team: Team,
    full_name: str,
    email: str,
    job_title: str = "",
    weekly_capacity_hours: Decimal = Decimal("40"),
    is_active: bool = True,
) -> TeamMember:
    member = TeamMember(
        team=team,
        full_name=full_name,
        email=email.strip().lower(),  # stored as the plan file stores it; matched ignoring case anyway
        job_title=job_title,
        weekly_capacity_hours=weekly_capacity_hours,
        is_active=is_active,
    )
    _save_checked(member, {"email": _("A member with this email already exists.")})
    return member


@transaction.atomic
def member_update(*, member: TeamMember, **fields) -> TeamMember:
    """Change a member's name, email, job title, capacity or whether they are active (``TeamMember.clean``
    refuses a return that would push one of their tasks past 100 %)."""
    member = member_lock(member_id=member.pk)
    for name in MEMBER_FIELDS:
        if name in fields:
            setattr(member, name, fields[name])
    member.email = member.email.strip().lower()
    _save_checked(member, {"email": _("A member with this email already exists.")})
    return member


@transaction.atomic
def role_holding_create(
    *,
    member: TeamMember,
    role: Role,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    pk: int | None = None,
) -> RoleHolding:
    """``pk``: restore a deleted holding with its own id (a revert)."""
    member_lock(member_id=member.pk)
    holding = RoleHolding(pk=pk, member=member, role=role, start_date=start_date, end_date=end_date)
    _save_checked(holding, _("This person already holds this role from that date."), force_insert=True)
    return holding


@transaction.atomic
def role_holding_update(
    *, holding: RoleHolding, start_date: datetime.date, end_date: datetime.date | None = None
) -> RoleHolding:
    """Set a holding's dates (a revert sets back earlier ones); the rules of a new holding apply."""
    member_lock(member_id=holding.member_id)
    holding = RoleHolding.objects.get(pk=holding.pk)
    holding.start_date, holding.end_date = start_date, end_date
    _save_checked(holding, _("This person already holds this role from that date."))
    return holding


@transaction.atomic
def role_holding_end(*, holding: RoleHolding, end_date: datetime.date) -> RoleHolding:
    member_lock(member_id=holding.member_id)
    holding = RoleHolding.objects.get(pk=holding.pk)
    holding.end_date = end_date
    holding.full_clean()
    holding.save(update_fields=["end_date"])
    return holding


@transaction.atomic
def role_holding_delete(*, holding: RoleHolding) -> None:
    """For a holding entered by mistake; a holding that simply ended is ended, not deleted."""
    member_lock(member_id=holding.member_id)
    RoleHolding.objects.filter(pk=holding.pk).delete()


@transaction.atomic
def time_off_create(
    *, member: TeamMember, start_date: datetime.date, end_date: datetime.date, reason: str = "", pk: int | None = None
) -> TimeOff:
    """``pk``: restore deleted time off with its own id (a revert)."""
    member_lock(member_id=member.pk)
    time_off = TimeOff(pk=pk, member=member, start_date=start_date, end_date=end_date, reason=reason)
    time_off.full_clean()
    time_off.save(force_insert=True)
    return time_off


@transaction.atomic
def time_off_update(
    *, time_off: TimeOff, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> TimeOff:
    member_lock(member_id=time_off.member_id)
    time_off = TimeOff.objects.get(pk=time_off.pk)
    time_off.start_date, time_off.end_date, time_off.reason = start_date, end_date, reason
    time_off.full_clean()
    time_off.save()
    return time_off


@transaction.atomic
def time_off_delete(*, time_off: TimeOff) -> None:
    member_lock(member_id=time_off.member_id)
    TimeOff.objects.filter(pk=time_off.pk).delete()
