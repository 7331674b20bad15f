"""Arrange cover, and covers on the member page and My duties.

Today is Wednesday 2 December 2026 (week of 30 November). Hand-worked plan, 40 h a week each:

- Ayu holds the specialist role and does "Posting" (daily, 2 h) alone; she is away Thursday 3 and
  Friday 4 December: two days of Posting, 2 h each, are duties on days off.
- Citra holds the specialist role and does "Replies" (daily, 4 h): 20 h a week (50 %).
- Budi holds the specialist role too and does "Ads" (daily, 6 h): 30 h (75 %), so Citra, with more
  room, ranks before him.
- Dani holds the strategist role only and has nothing planned.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from assignments.flags import DutyUncoveredFlag
from assignments.models import Cover
from assignments.report import team_report
from tests.factories import make_assignment, make_holding, make_member, make_task, make_time_off, make_user
from tests.views.helpers import HTMX

pytestmark = pytest.mark.django_db

THURSDAY, FRIDAY = datetime.date(2026, 12, 3), datetime.date(2026, 12, 4)
MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def plan(team, specialist, strategist):
    people = {
        name: make_member(team, full_name=name, email=f"{name.lower()}@example.com", weekly_capacity_hours=Decimal(40))
        for name in ("Ayu", "Citra", "Budi", "Dani")
    }
    for name in ("Ayu", "Citra", "Budi"):
        make_holding(people[name], specialist, start_date=MONDAY)
    make_holding(people["Dani"], strategist, start_date=MONDAY)

    def task(title, hours):
        return make_task(team, specialist, title=title, cadence="daily", effort_hours=hours, start_date=MONDAY)

    posting = make_assignment(task("Posting", 2), people["Ayu"])
    make_assignment(task("Replies", 4), people["Citra"])
    make_assignment(task("Ads", 6), people["Budi"])
    away = make_time_off(people["Ayu"], THURSDAY, FRIDAY)
    return people, posting, away


def page_url(member, **query):
    base = reverse("assignments:arrange_cover", args=["marketing", member.pk])
    return base + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def save(client, posting, member, first=THURSDAY, last=FRIDAY, **extra):
    data = {"assignment": posting.pk, "member": member.pk, "start_date": first, "end_date": last}
    return client.post(page_url(posting.member, date=first.isoformat()), data, **extra)


def week_hours(team, member) -> Fraction:
    load = next(w for w in team_report(team=team, start=MONDAY, weeks=1).workload.members if w.member.id == member.pk)
    return load.weeks[0].total_hours


def test_the_page_shows_the_days_away_and_ranks_who_could_cover(manager_client, plan):
    people, _posting, away = plan
    response = manager_client.get(page_url(people["Ayu"], date=THURSDAY.isoformat()))
    assert response.status_code == 200
    plan_ = response.context["plan"]
    assert (plan_.stretch.first, plan_.stretch.last, plan_.stretch.time_off) == (THURSDAY, FRIDAY, away)
    [duty] = plan_.duties
    assert [(day.date, day.hours, day.covered_by) for day in duty.days] == [(THURSDAY, 2, None), (FRIDAY, 2, None)]
    ranked = [option.candidate.member.name for option in duty.candidates]
    # holders of the role first (Citra has more room than Budi), then Dani (not a holder); never Ayu herself
    assert ranked == ["Citra", "Budi", "Dani"]
    citra = duty.candidates[0]
    assert citra.candidate.added_hours == 4  # 2 days × 2 h × 100 %
    assert [(before.total_hours, after.total_hours) for before, after in citra.weeks] == [(20, 24)]
    assertContains(response, "Arrange cover for Ayu")
    assertContains(response, "Citra covers")  # the button


def test_the_page_comes_from_the_time_off_too(manager_client, plan):
    people, _posting, away = plan
    response = manager_client.get(page_url(people["Ayu"], time_off=away.pk))
    assert response.context["plan"].stretch.time_off == away
    other = make_time_off(people["Citra"], THURSDAY, THURSDAY)
    assert manager_client.get(page_url(people["Ayu"], time_off=other.pk)).status_code == 404


def test_saving_a_cover_without_javascript_moves_the_hours_and_clears_the_flag(manager_client, team, plan):
    people, posting, _away = plan
    assert week_hours(team, people["Citra"]) == 20
    response = save(manager_client, posting, people["Citra"])
    assert response.status_code == 302
    cover = Cover.objects.get()
    assert (cover.member, cover.start_date, cover.end_date) == (people["Citra"], THURSDAY, FRIDAY)
    assert cover.arranged_by.username == "boss"
    assert week_hours(team, people["Citra"]) == 24  # + 2 days × 2 h
    assert week_hours(team, people["Ayu"]) == 6  # her Monday to Wednesday only, as before
    flags = team_report(team=team, start=MONDAY, weeks=1).flags
    assert not [flag for flag in flags if isinstance(flag, DutyUncoveredFlag)]
    page = manager_client.get(response.url)
    assertContains(page, "Citra covers from")
    assert not page.context["plan"].duties[0].candidates  # nothing left to cover


def test_saving_with_htmx_swaps_the_duties_in_place(manager_client, plan):
    people, posting, _away = plan
    response = save(manager_client, posting, people["Budi"], **HTMX)
    assert response.status_code == 200
    assert Cover.objects.get().member == people["Budi"]
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="cover-duties"')
    assertContains(response, "Budi covers Posting for Ayu.")


def test_a_refused_cover_shows_its_error_beside_the_field_and_writes_nothing(manager_client, plan):
    people, posting, _away = plan
    response = save(manager_client, posting, people["Citra"], first=FRIDAY, last=THURSDAY)
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
    assert response.context["failed"] == str(posting.pk)
    save(manager_client, posting, people["Citra"])
    response = save(manager_client, posting, people["Budi"], first=FRIDAY, last=FRIDAY)
    assert response.status_code == 400
    assert "Citra already covers this duty" in str(response.context["form"].errors["start_date"])
    assert Cover.objects.count() == 1


def test_the_substitute_must_be_another_active_member_of_the_team(manager_client, plan):
    people, posting, _away = plan
    stranger = make_member(full_name="Stranger")
    for substitute in (people["Ayu"], stranger):
        response = save(manager_client, posting, substitute)
        assert response.status_code == 400
        assert "member" in response.context["form"].errors
    assert not Cover.objects.exists()


def test_someone_elses_duty_cannot_be_covered_from_this_page(manager_client, plan):
    people, _posting, _away = plan
    replies = people["Citra"].assignments.get()
    data = {"assignment": replies.pk, "member": people["Budi"].pk, "start_date": THURSDAY, "end_date": FRIDAY}
    response = manager_client.post(page_url(people["Ayu"]), data)  # Ayu's page: not one of her duties
    assert response.status_code == 400
    assert not Cover.objects.exists()


def test_removing_a_cover(manager_client, plan):
    people, posting, _away = plan
    cover = Cover.objects.create(assignment=posting, member=people["Citra"], start_date=THURSDAY, end_date=FRIDAY)
    response = manager_client.post(reverse("assignments:cover_remove", args=["marketing", cover.pk]))
    assert response.status_code == 302
    assert page_url(people["Ayu"], date=THURSDAY.isoformat()) in response.url
    assert not Cover.objects.exists()


def test_a_bad_day_is_shown_beside_its_field(manager_client, plan):
    people, _posting, _away = plan
    response = manager_client.get(page_url(people["Ayu"], date="2026-13-01"))
    assert response.status_code == 400
    assert list(response.context["day_form"].errors) == ["date"]


def test_a_day_the_member_works_has_nothing_to_cover(manager_client, plan):
    people, _posting, _away = plan
    response = manager_client.get(page_url(people["Ayu"], date=MONDAY.isoformat()))
    assert response.context["plan"].stretch.time_off is None
    assert response.context["plan"].duties == []
    assertContains(response, "a cover only moves duties on days away")


def test_another_teams_manager_and_members_get_404(client, plan):
    people, posting, _away = plan
    outsider = make_user()
    make_member(user=outsider).team.managers.add(outsider)
    citra_login = make_user()
    people["Citra"].user = citra_login
    people["Citra"].save()
    for user in (outsider, citra_login):
        client.force_login(user)
        assert client.get(page_url(people["Ayu"])).status_code == 404
        assert save(client, posting, people["Citra"]).status_code == 404
    assert not Cover.objects.exists()


def test_the_flag_and_the_time_off_link_to_the_page(manager_client, plan):
    people, _posting, away = plan
    overview = manager_client.get(reverse("assignments:team_overview", args=["marketing"])).content.decode()
    assert page_url(people["Ayu"], date=THURSDAY.isoformat(), start=MONDAY.isoformat()) in overview.replace(
        "&amp;", "&"
    )
    member_page = manager_client.get(reverse("assignments:member", args=[people["Ayu"].pk]))
    assertContains(member_page, page_url(people["Ayu"], time_off=away.pk))


def test_member_page_and_my_duties_show_covers_given_and_received(client, manager_client, plan):
    people, posting, _away = plan
    Cover.objects.create(assignment=posting, member=people["Citra"], start_date=THURSDAY, end_date=FRIDAY)
    ayu_page = manager_client.get(reverse("assignments:member", args=[people["Ayu"].pk]))
    assertContains(ayu_page, "Citra covers Posting, from 3 Dec to 4 Dec 2026")
    citra_page = manager_client.get(reverse("assignments:member", args=[people["Citra"].pk]))
    assertContains(citra_page, "Posting for Ayu, from 3 Dec to 4 Dec 2026")

    for name in ("Ayu", "Citra"):
        people[name].user = make_user(username=name.lower())
        people[name].save()
    client.force_login(people["Citra"].user)
    mine = client.get(reverse("assignments:my_duties"))
    this_week = [(duty.date, duty.task.title, duty.member.name) for duty in mine.context["duties"].this_week]
    assert (THURSDAY, "Posting", "Ayu") in this_week and (FRIDAY, "Posting", "Ayu") in this_week
    assertContains(mine, "for Ayu")
    client.force_login(people["Ayu"].user)
    hers = client.get(reverse("assignments:my_duties"))
    assertContains(hers, "you are away · Citra covers")
    assertNotContains(hers, "nobody covers yet")
