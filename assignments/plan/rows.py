"""The plan as read from the file: plain values with the path each came from.

A value that was missing or bad in the file is ``None`` (its error is already
reported), so the checks that come later skip it; a plan is written only when
the file had no error at all, and then no value is ``None`` unless optional.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import clean_title


def task_title_key(title: str) -> str:
    """What makes two task titles the same: as people see them (``clean_title``), ignoring case."""
    return clean_title(title).casefold()


@dataclass
class RolePlan:
    path: str
    slug: str | None
    name: str | None
    focus: str | None
    summary: str | None
    responsibilities: list[str] | None  # None: the list itself was bad


@dataclass
class HoldingPlan:
    path: str
    role_slug: str | None
    start_date: datetime.date | None
    end_date: datetime.date | None


@dataclass
class TimeOffPlan:
    path: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    reason: str | None


@dataclass
class MemberPlan:
    path: str
    email: str | None  # in lower case: members are matched ignoring case
    full_name: str | None
    job_title: str | None
    weekly_capacity_hours: Decimal | None
    is_active: bool | None
    holdings: list[HoldingPlan] = field(default_factory=list)
    time_off: list[TimeOffPlan] = field(default_factory=list)


@dataclass
class CoverPlan:
    path: str
    email: str | None  # the substitute's, in lower case, as MemberPlan.email
    start_date: datetime.date | None
    end_date: datetime.date | None


@dataclass
class AssigneePlan:
    path: str
    email: str | None  # in lower case, as MemberPlan.email
    share_percent: int | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    covers: list[CoverPlan] = field(default_factory=list)


@dataclass
class PersonPlan:
    """A member named by email alone: a task's Accountable, or one of its Consulted or Informed (RACI)."""

    path: str
    email: str | None  # in lower case, as MemberPlan.email


@dataclass
class TaskPlan:
    path: str
    title: str | None  # as TitleField cleans it
    description: str | None
    role_slug: str | None
    channel: str | None
    cadence: str | None
    effort_hours: Decimal | None
    start_date: datetime.date | None
    end_date: datetime.date | None
    is_active: bool | None
    assignees: list[AssigneePlan] = field(default_factory=list)
    accountable: PersonPlan | None = None  # None: the file names no Accountable
    consulted: list[PersonPlan] = field(default_factory=list)
    informed: list[PersonPlan] = field(default_factory=list)

    @property
    def title_key(self) -> str | None:
        return task_title_key(self.title) if self.title else None

    @property
    def raci_people(self) -> list[PersonPlan]:
        """Everyone the task names for RACI besides its assignees: its Accountable, Consulted and Informed."""
        return ([self.accountable] if self.accountable else []) + self.consulted + self.informed


@dataclass
class Plan:
    team_name: str | None
    team_slug: str | None
    roles: list[RolePlan]
    members: list[MemberPlan]
    tasks: list[TaskPlan]
    raci_enabled: bool | None = None  # None: the file leaves the team's setting as it is (off for a new team)
