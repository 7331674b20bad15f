"""Acknowledging a dual role and withdrawing it (services): what is refused, and one standing at a time."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from assignments.models import DualRoleAcknowledgement
from assignments.services import acknowledgement_create, acknowledgement_withdraw
from roles.models import Role
from roles.services import member_lock
from tests.factories import make_holding, make_member, make_role, make_team, make_user

pytestmark = pytest.mark.django_db

WEEKS = 6


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def dual(today):
    """A member holding an operational and a strategic role from last year on: a dual role in any window now."""
    member = make_member(make_team(), full_name="Rina")
    since = today.replace(year=today.year - 1)
    make_holding(member, make_role(Role.Focus.OPERATIONAL), start_date=since)
    make_holding(member, make_role(Role.Focus.STRATEGIC), start_date=since)
    return member


def acknowledge(member, today, **fields):
    return acknowledgement_create(member=member, acknowledged_by=None, start=today, weeks=WEEKS, **fields)


def standing(member):
    return DualRoleAcknowledgement.objects.filter(member=member, withdrawn_at__isnull=True)


def test_acknowledgement_is_recorded_with_its_note(dual, today):
    acknowledgement = acknowledge(dual, today, note="Small team, on purpose")
    assert standing(dual).get() == acknowledgement
    assert acknowledgement.note == "Small team, on purpose"


def test_acknowledging_a_member_without_a_dual_role_in_the_window_is_refused(today):
    member = make_member(make_team())
    make_holding(member, make_role(Role.Focus.OPERATIONAL), start_date=today)
    with pytest.raises(ValidationError, match="does not cover both operational and strategic roles in these weeks"):
        acknowledge(member, today)
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledging_a_dual_role_outside_the_window_shown_is_refused(dual, today):
    """The window is the one the manager looked at: a dual role that ended before it has nothing to acknowledge."""
    dual.role_holdings.update(end_date=today - datetime.timedelta(days=60))
    with pytest.raises(ValidationError, match="nothing to acknowledge"):
        acknowledge(dual, today)


def test_acknowledging_an_inactive_member_is_refused(dual, today):
    dual.is_active = False
    dual.save()
    with pytest.raises(ValidationError, match="Rina is no longer active"):
        acknowledge(dual, today)
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledgement_expiring_in_the_past_is_refused_on_the_date(dual, today):
    with pytest.raises(ValidationError) as error:
        acknowledge(dual, today, valid_until=today - datetime.timedelta(days=1))
    assert error.value.message_dict == {"valid_until": ["This date is in the past."]}
    assert not DualRoleAcknowledgement.objects.exists()


def test_acknowledgement_running_out_before_the_weeks_shown_end_is_refused(dual, today):
    """It would not count for those weeks (an acknowledgement is valid for a window it lasts to the end of)."""
    with pytest.raises(ValidationError) as error:
        acknowledge(dual, today, valid_until=today + datetime.timedelta(days=7))
    assert "the last day of the weeks shown" in error.value.message_dict["valid_until"][0]


def test_acknowledgement_lasting_to_the_end_of_the_weeks_shown_is_recorded(dual, today):
    monday = today - datetime.timedelta(days=today.weekday())
    last_day = monday + datetime.timedelta(days=7 * WEEKS - 1)
    assert acknowledge(dual, today, valid_until=last_day).valid_until == last_day


def test_second_acknowledgement_while_one_stands_is_refused(dual, today):
    acknowledge(dual, today, note="first")
    with pytest.raises(ValidationError, match="already acknowledged for these weeks"):
        acknowledge(dual, today, note="second")
    assert list(standing(dual).values_list("note", flat=True)) == ["first"]


def test_acknowledgement_renews_one_running_out_inside_the_window(dual, today):
    """The flag asks for a renewal; the new one replaces the old, so one stands at a time."""
    old = DualRoleAcknowledgement.objects.create(member=dual, valid_until=today + datetime.timedelta(days=7))
    manager = make_user()
    new = acknowledgement_create(member=dual, acknowledged_by=manager, start=today, weeks=WEEKS, note="renewed")
    old.refresh_from_db()
    assert list(standing(dual)) == [new]
    assert (old.withdrawn_by, old.withdrawn_at is not None) == (manager, True)


def test_acknowledgement_leaves_an_expired_one_as_it_ran_out(dual, today):
    expired = DualRoleAcknowledgement.objects.create(member=dual, valid_until=today - datetime.timedelta(days=30))
    acknowledge(dual, today)
    expired.refresh_from_db()
    assert expired.withdrawn_at is None  # it ran out by itself; nobody withdrew it


def test_acknowledgement_writes_lock_the_member_row(dual, today):
    with mock.patch("assignments.services.member_lock", wraps=member_lock) as lock:
        acknowledge(dual, today)
        acknowledgement_withdraw(member=dual, withdrawn_by=None)
    assert [call.kwargs for call in lock.call_args_list] == [{"member_id": dual.pk}, {"member_id": dual.pk}]


def test_withdraw_says_how_many_stood(dual, today):
    acknowledge(dual, today)
    assert acknowledgement_withdraw(member=dual, withdrawn_by=None) == 1
    assert acknowledgement_withdraw(member=dual, withdrawn_by=None) == 0


@pytest.mark.django_db(transaction=True)
def test_two_managers_acknowledging_at_once_leave_one_standing(on_postgres, dual, today):
    """Both see the flag unacknowledged; the member lock makes the second wait, see the first, and be refused."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def acknowledge_at_once(note):
        try:
            barrier.wait()
            acknowledge(dual, today, note=note)
            outcomes.append("acknowledged")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=acknowledge_at_once, args=(note,)) for note in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["acknowledged", "refused"]
    assert standing(dual).count() == 1


def test_acknowledgement_note_over_500_characters_is_refused_by_the_service_too(dual, today):
    """The model's text field has no limit: the rule holds for every writer, not only the page's form."""
    with pytest.raises(ValidationError) as error:
        acknowledge(dual, today, note="x" * 501)
    assert list(error.value.message_dict) == ["note"]
    assert not DualRoleAcknowledgement.objects.exists()
