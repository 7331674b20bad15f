"""The board's load panel, written out: the workload badges of the people on the cards shown.

docs/rules.md, "Pages" (the board). The panel lists the people the cards on the page concern, not the
whole team (the overview does, and the panel links to it), and only they are computed
(``selectors.board.team_loads``). After a write, the answer carries out of band the badges of the people
the write touched, and only they are computed: each replaces its own on the panel, or is added to it
when the assign request said the panel lacks it.

The badges' words are formatted here, once per response (the weeks are the same for every badge), not
per badge and week in the template: a panel of hundreds of people would otherwise run thousands of
translation and date tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.formatting import band_name, hours_display
from assignments.selectors import LoadsPanel
from assignments.selectors.bands import BandLegend
from assignments.selectors.board import team_loads
from assignments.workload_rows import MemberInfo
from roles.models import Team

from .board_cards import BoardUrls
from .common import HtmxHttpRequest


@dataclass
class BadgeWeek:
    """One week of a workload badge, written out: hours / capacity, the band in colour and in words."""

    title: str  # "Week of 30 Nov"
    label: str  # "Week of 30 Nov:", before the figures for a screen reader
    hours: str
    capacity: str
    band: str
    band_name: str


@dataclass
class Badge:
    member: MemberInfo
    url: str  # their member page
    weeks: list[BadgeWeek]

    @property
    def id(self) -> str:
        """The member's id as the badge's id and field write it (a number in a template is formatted)."""
        return str(self.member.id)


@dataclass
class BadgePanel:
    """The load panel as it is written: its badges (the weeks' words formatted once for all of them), its legend."""

    badges: list[Badge]
    legend: BandLegend


class _Words(dict):
    """Words formatted once per panel: many badges share a week, a capacity, hours and a band."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value):
        self[value] = written = self.write(value)
        return written


def badge_panel(loads: LoadsPanel, team: Team) -> BadgePanel:
    urls = BoardUrls(team)
    weeks = _Words(
        lambda monday: (
            _("Week of %(day)s") % {"day": date_format(monday, "j M")},
            _("Week of %(day)s:") % {"day": date_format(monday, "j M")},
        )
    )
    hours, bands = _Words(hours_display), _Words(band_name)
    badges = [
        Badge(
            load.member,
            urls("member", load.member.id),
            [
                BadgeWeek(
                    *weeks[week.week],
                    hours[week.total_hours],
                    hours[week.capacity_hours],
                    week.band,
                    bands[week.band],
                )
                for week in load.weeks
            ],
        )
        for load in loads.members
    ]
    return BadgePanel(badges, loads.legend)


def touched_badges(request: HtmxHttpRequest, team: Team, member_ids: list[int]) -> list[tuple[Badge, bool]]:
    """After a write: the workload badges of the people it touched (only they are computed), each with whether
    the panel lacks it. The panel lists the people on the cards shown; the assign requests send their ids
    (the panel's ``loads`` fields), and a badge not among them is added. Otherwise a badge replaces its own."""
    if not member_ids:
        return []
    shown = set(request.POST.getlist("loads"))
    panel = badge_panel(team_loads(team=team, today=timezone.localdate(), member_ids=member_ids), team)
    return [(badge, "loads" in request.POST and str(badge.member.id) not in shown) for badge in panel.badges]
