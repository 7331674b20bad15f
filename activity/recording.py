"""Who made a change, and which change set it belongs to: every historical row is stamped here.

A writer runs inside ``recording(actor)``: each web request does (``RecordingMiddleware``: the login's
username), the commands do (``import_plan FILE``, ``seed_demo``), a revert does. The first change to a team
inside it creates that team's ``ChangeSet``; the rest join it, so an import of 500 rows is one change set
and costs one write per row plus one. Outside any ``recording`` (a shell, a test's factories) each row gets
a change set of its own, said to be by "system".
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from assignments.models import Assignment, Cover, Task, TaskInvolvement
from roles.models import Team, TeamMember

from .models import ChangeSet

SYSTEM = "system"


@dataclass
class _Stored:
    """A change set this recorder wrote, and whether its row is known to be committed."""

    change_set: ChangeSet
    committed: bool = False
    seen_in: list | None = None  # the connection's list of pending callbacks it was last found in

    def __post_init__(self):
        self.on_commit = self._mark  # one bound method, to find among the connection's pending callbacks

    def _mark(self) -> None:
        self.committed = True

    def still_written(self) -> bool:
        """Committed, or still pending in the open transaction; False once a rollback took it away.

        Django drops the ``on_commit`` callbacks of a rolled-back savepoint or transaction, so the
        callback still pending (or run) is exactly "the row is still there": no query needed. Django
        only ever appends to the list of pending callbacks in place; a rollback or a commit replaces the
        list. So while the list is the one the callback was found in, it is still there: an import of
        50,000 rows looks it up once, not once per row.
        """
        pending = connection.run_on_commit
        if self.committed or pending is self.seen_in:
            return True
        if any(callback is self.on_commit for _, callback, _ in pending):
            self.seen_in = pending
            return True
        # Gone from the pending callbacks without having run: rolled back, or (rarely) committed while an
        # earlier callback failed and stopped the rest from running. Only the database can tell which.
        return ChangeSet.objects.filter(pk=self.change_set.pk).exists()


@dataclass
class Recorder:
    actor: str | Callable[[], str]
    user_of: Callable[[], object | None] = lambda: None
    reverts: str = ""
    _change_sets: dict[int | None, _Stored] = field(default_factory=dict)
    _teams: dict[tuple[type, int], int | None] = field(default_factory=dict)

    def change_set(self, team_id: int | None) -> ChangeSet:
        stored = self._change_sets.get(team_id)
        if stored is None or not stored.still_written():
            actor = self.actor() if callable(self.actor) else self.actor
            change_set = ChangeSet.objects.create(
                team_id=team_id, actor=actor[:300], user=self.user_of(), reverts=self.reverts
            )
            stored = self._change_sets[team_id] = _Stored(change_set)
            transaction.on_commit(stored.on_commit)  # outside a transaction it runs at once
        return stored.change_set

    def written(self, team_id: int | None) -> ChangeSet | None:
        """The change set this recorder wrote for the team, if it wrote one (and it still stands)."""
        stored = self._change_sets.get(team_id)
        return stored.change_set if stored is not None and stored.still_written() else None

    def team_id(self, instance) -> int | None:
        """The team a tracked row belongs to (None for the shared role catalog): from its loaded parents
        when the writer has them, else read once per parent."""
        match instance:
            case Team():
                return instance.pk
            case TeamMember() | Task():
                return instance.team_id
            # a task's people are its team's (an involvement's member is too, but the task is what it is about)
            case Assignment() | TaskInvolvement() if type(instance).task.is_cached(instance):
                return instance.task.team_id
            case Assignment() | TaskInvolvement():
                return self._parent_team(Task, instance.task_id, "team_id")
            case Cover():
                return self._parent_team(Assignment, instance.assignment_id, "task__team_id")
        member_id = getattr(instance, "member_id", None)  # holdings, time off, acknowledgements
        if member_id is not None and type(instance).member.is_cached(instance):
            return instance.member.team_id
        return None if member_id is None else self._parent_team(TeamMember, member_id, "team_id")

    def _parent_team(self, model: type, pk: int, path: str) -> int | None:
        key = (model, pk)
        if key not in self._teams:
            self._teams[key] = model.objects.filter(pk=pk).values_list(path, flat=True).first()
        return self._teams[key]


_current: ContextVar[Recorder | None] = ContextVar("activity_recorder", default=None)


@contextlib.contextmanager
def recording(actor: str | Callable[[], str], *, user=None, user_of=None, reverts: str = "") -> Iterator[Recorder]:
    """Record the changes made inside as by ``actor`` (a username, ``import_plan FILE``, a command)."""
    recorder = Recorder(actor=actor, user_of=user_of or (lambda: user), reverts=reverts)
    token = _current.set(recorder)
    try:
        yield recorder
    finally:
        _current.reset(token)


def stamp_entry(sender, instance, history_instance, **kwargs) -> None:
    """simple-history's ``pre_create_historical_record``: put the row in its change set, name its author."""
    recorder = _current.get() or Recorder(actor=SYSTEM)
    change_set = recorder.change_set(recorder.team_id(instance))
    history_instance.change_set = change_set
    history_instance.history_user_id = change_set.user_id


def _username(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "anonymous"


def _user(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class RecordingMiddleware:
    """Every request records its changes as by its login (read when the first change is made, after
    the login view itself has logged someone in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with recording(lambda: _username(request), user_of=lambda: _user(request)):
            return self.get_response(request)


def unset_accountable(sender, instance, origin=None, **kwargs) -> None:
    """Deleting a member clears the tasks they are accountable for with one UPDATE (SET NULL), which no signal
    sees: they are cleared task by task first, so the history says the task was left with nobody accountable.
    Not when the whole team goes: its tasks go with it."""
    if isinstance(origin, Team) or (isinstance(origin, QuerySet) and origin.model is Team):
        return
    for task in Task.objects.filter(accountable=instance):
        task.accountable = None
        task.save(update_fields=["accountable"])


def unlink_login(sender, instance, **kwargs) -> None:
    """Deleting a login clears the rows that name it with one UPDATE per table (SET NULL), which no signal
    sees. The two that are part of the plan, a member's login and a team's managers, are cleared row by
    row first, so the history records them; who assigned a row is bookkeeping and is left to the UPDATE."""
    for member in TeamMember.objects.filter(user=instance):
        member.user = None
        member.save(update_fields=["user"])
    for team in Team.objects.filter(managers=instance):
        team.managers.remove(instance)
