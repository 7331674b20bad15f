"""``manage.py prune_history``: the history older than N days goes, change sets with their rows; for cron."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity.models import TRACKED, ChangeSet
from activity.recording import recording
from assignments.services import assignment_update
from roles.models import Team
from tests.factories import make_assignment, make_member, make_task, make_team, make_user

pytestmark = pytest.mark.django_db

HistoricalTeamManagers = Team.history.model._meta.get_field("historicalteam_managers").related_model


def prune(*options: str) -> str:
    stdout = StringIO()
    call_command("prune_history", *options, stdout=stdout)
    return stdout.getvalue()


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def cutoff_day(days: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def entry_count() -> int:
    return sum(model.history.count() for model, _excluded in TRACKED.values())


@pytest.fixture
def team():
    return make_team(slug="marketing")


@pytest.fixture
def assignment(team):
    return make_assignment(make_task(team), make_member(team), share_percent=50)


def changed(actor: str, age_in_days: int, assignment, *shares: int) -> ChangeSet:
    """One change set by ``actor``, made ``age_in_days`` ago: the assignment's share set to each of ``shares``."""
    with recording(actor) as recorder:
        for share in shares:
            assignment_update(assignment=assignment, share_percent=share)
    (change_set,) = recorder._change_sets.values()
    ChangeSet.objects.filter(pk=change_set.change_set.pk).update(at=days_ago(age_in_days))
    return change_set.change_set


def test_prune_deletes_the_change_sets_older_than_the_days_with_their_entries(assignment):
    old = changed("old", 40, assignment, 20, 30)
    new = changed("new", 5, assignment, 40)
    prune("--days", "30")
    assert not ChangeSet.objects.filter(pk=old.pk).exists()
    assert not assignment.history.filter(change_set_id=old.pk).exists()
    assert ChangeSet.objects.filter(pk=new.pk).exists()
    assert assignment.history.filter(change_set_id=new.pk).count() == 1
    assert assignment.history.filter(history_type="+").exists()  # the factory's, made today


def test_prune_prints_what_it_deleted(assignment):
    changed("old", 40, assignment, 20, 30)
    changed("older", 50, assignment, 40)
    assert prune("--days", "30") == f"Pruned 2 change sets (3 entries) older than {cutoff_day(30)}.\n"


def test_prune_says_one_entry_in_the_singular(assignment):
    changed("old", 40, assignment, 20)
    assert prune("--days", "30") == f"Pruned 1 change set (1 entry) older than {cutoff_day(30)}.\n"


def test_prune_deletes_a_historical_teams_managers_with_it(team):
    with recording("old") as recorder:
        team.managers.add(make_user(), make_user())  # a "~" team row, with its two managers
    (stored,) = recorder._change_sets.values()
    ChangeSet.objects.filter(pk=stored.change_set.pk).update(at=days_ago(40))
    historical_team = Team.history.get(change_set=stored.change_set)
    assert HistoricalTeamManagers.objects.filter(history=historical_team).count() == 2
    prune("--days", "30")
    assert not Team.history.filter(pk=historical_team.pk).exists()
    assert not HistoricalTeamManagers.objects.filter(history_id=historical_team.pk).exists()


def test_prune_dry_run_counts_and_deletes_nothing(assignment):
    changed("old", 40, assignment, 20, 30)
    change_sets, entries = ChangeSet.objects.count(), entry_count()
    output = prune("--days", "30", "--dry-run")
    assert output == f"Dry run, nothing was deleted: 1 change set (2 entries) older than {cutoff_day(30)}.\n"
    assert (ChangeSet.objects.count(), entry_count()) == (change_sets, entries)


def test_prune_without_the_setting_or_days_keeps_everything(settings, assignment):
    settings.TEAMPLANNER_HISTORY_DAYS = None
    changed("ancient", 4000, assignment, 20)
    change_sets, entries = ChangeSet.objects.count(), entry_count()
    assert "the history is kept, nothing to prune" in prune()
    assert (ChangeSet.objects.count(), entry_count()) == (change_sets, entries)


def test_prune_keeps_the_days_of_the_setting(settings, assignment):
    settings.TEAMPLANNER_HISTORY_DAYS = 30
    old, new = changed("old", 40, assignment, 20), changed("new", 20, assignment, 30)
    assert prune() == f"Pruned 1 change set (1 entry) older than {cutoff_day(30)}.\n"
    assert list(ChangeSet.objects.filter(pk__in=[old.pk, new.pk])) == [new]


def test_prune_days_overrides_the_setting(settings, assignment):
    settings.TEAMPLANNER_HISTORY_DAYS = 365
    changed("old", 40, assignment, 20)
    assert prune("--days", "30").startswith("Pruned 1 change set")


def test_prune_again_finds_nothing_and_succeeds(assignment):
    changed("old", 40, assignment, 20)
    prune("--days", "30")
    assert prune("--days", "30") == f"Nothing to prune: no history is older than {cutoff_day(30)}.\n"


def test_prune_is_quiet_with_verbosity_zero(assignment):
    changed("old", 40, assignment, 20)
    assert prune("--days", "30", "--verbosity", "0") == ""
    assert not ChangeSet.objects.filter(actor="old").exists()


def test_prune_refuses_a_negative_number_of_days():
    with pytest.raises(CommandError, match="must be 0 or more, not -1"):
        prune("--days", "-1")


def test_prune_goes_by_batches_each_its_own_delete_and_says_how_far_it_got(assignment):
    old = [changed(f"old {n}", 40, assignment, 10 + n) for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        output = prune("--days", "30", "--batch-size", "2")
    assert output.splitlines() == [
        "2 of 5 change sets pruned…",
        "4 of 5 change sets pruned…",
        "5 of 5 change sets pruned…",
        f"Pruned 5 change sets (5 entries) older than {cutoff_day(30)}.",
    ]
    deletes = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("DELETE")]
    assert sum('FROM "activity_changeset"' in sql for sql in deletes) == 3
    assert not ChangeSet.objects.filter(pk__in=[change_set.pk for change_set in old]).exists()


def test_prune_never_loads_the_historical_rows(assignment, team):
    changed("old", 40, assignment, 20, 30, 40)
    with recording("old team"):
        team.managers.add(make_user())
    ChangeSet.objects.filter(actor="old team").update(at=days_ago(40))
    with CaptureQueriesContext(connection) as queries:
        prune("--days", "30")
    # A loaded row reads every column; counting and finding ids do not read the kind of change.
    loaded = [sql for query in queries.captured_queries if "history_type" in (sql := query["sql"])]
    assert loaded == []


def test_prune_deletes_old_entries_that_have_no_change_set(assignment):
    """Bulk writes send no signal (simple-history's ``populate_history``): such rows go by their own date."""
    old_row = assignment.history.get()
    type(old_row).objects.filter(pk=old_row.pk).update(change_set=None, history_date=days_ago(40))
    new_row = make_assignment(make_task(assignment.task.team), assignment.member).history.get()
    type(new_row).objects.filter(pk=new_row.pk).update(change_set=None)
    assert prune("--days", "30") == f"Pruned 0 change sets (1 entry) older than {cutoff_day(30)}.\n"
    assert list(type(old_row).objects.filter(pk__in=[old_row.pk, new_row.pk])) == [new_row]
