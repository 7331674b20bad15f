"""Each history entry said as a sentence in the reader's language: "Dewi Sari changed Citra Dewi's share
of Schedule posts from 50 % to 20 %." Values are written as the pages write them (dates "3 Dec 2026",
decimals in the language's format), and a change set too large to list is summed up by kind."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .entries import Entry, Names, history_model
from .models import TRACKED, ChangeSet

# Fields whose value is another row: shown by its name.
REFERENCES = {"member_id": "member", "task_id": "task", "role_id": "role", "team_id": "team"}
# Fields that are bookkeeping, not something to say.
UNSAID = {"assigned_by_id", "arranged_by_id", "acknowledged_by_id", "withdrawn_by_id", "user_id", "position"}


def actor_name(change_set: ChangeSet) -> str:
    """The login's full name when it has one (its username otherwise), or the command as recorded."""
    user = change_set.user
    if user is not None and user.get_username() == change_set.actor:
        return user.get_full_name() or change_set.actor
    return change_set.actor


def value_text(entry: Entry, name: str, value: Any, names: Names) -> str:
    if value is None or value == "":
        return "—"
    if name in REFERENCES:
        return getattr(names, f"{REFERENCES[name]}s").get(value, "?")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(value, "j M Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value)
    field = history_model(entry.object_type)._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def changes_text(entry: Entry, names: Names) -> str:
    """ "share (%) from 50 to 20; end date from — to 4 Dec 2026" """
    model = history_model(entry.object_type)
    parts = []
    for name, (old, new) in entry.changes.items():
        if name in UNSAID:
            continue
        label = model._meta.get_field(name.removesuffix("_id") if name in REFERENCES else name).verbose_name
        parts.append(
            _("%(field)s from %(old)s to %(new)s")
            % {"field": label, "old": value_text(entry, name, old, names), "new": value_text(entry, name, new, names)}
        )
    return "; ".join(parts)


def said(entries: list[Entry], names: Names | None = None) -> list[dict]:
    """Each entry with its sentence in the active language, for the templates."""
    names = names or Names(entries)
    return [{"entry": entry, "text": sentence(entry, names)} for entry in entries]


def sentence(entry: Entry, names: Names) -> str:
    values = entry.values
    words = {"actor": actor_name(entry.change_set), "changes": changes_text(entry, names)}
    member_id = values.get("member_id", entry.object_id if entry.object_type == "member" else None)
    words["member"] = names.member(member_id)
    for name in ("start_date", "end_date"):
        words[name.removesuffix("_date")] = value_text(entry, name, values.get(name), names)
    if entry.object_type == "cover":
        task_id, assignee_id = names.assignments.get(values["assignment_id"], (None, None))
        words.update(substitute=words["member"], member=names.member(assignee_id), task=names.task(task_id))
    elif entry.object_type in ("task", "assignment"):
        words["task"] = names.task(values.get("task_id", entry.object_id))
    words["role"] = names.roles.get(
        values.get("role_id", entry.object_id if entry.object_type == "role" else None), "?"
    )
    words["team"] = names.teams.get(entry.object_id, "?") if entry.object_type == "team" else ""
    words["title"] = str(values.get("title", ""))
    words["share"] = values.get("share_percent")
    if "share_percent" in entry.changes:
        words["old"], words["new"] = entry.changes["share_percent"]
    words["object"] = object_text(entry, names)
    # "50 %" never breaks between the number and its sign on a narrow screen
    return (_template(entry, values) % words).replace(" %", "\u00a0%")


def _template(entry: Entry, values: dict) -> str:
    kind, action, changed = entry.object_type, entry.action, set(entry.changes) - UNSAID
    if kind == "assignment" and action == "changed" and changed == {"share_percent"}:
        return _("%(actor)s changed %(member)s's share of %(task)s from %(old)s %% to %(new)s %%.")
    if kind == "task" and action == "changed" and changed == {"is_active"}:
        return (
            _("%(actor)s archived the task %(task)s.")
            if not values["is_active"]
            else _("%(actor)s restored the task %(task)s.")
        )
    if kind == "acknowledgement" and action == "changed" and "withdrawn_at" in changed:
        return _("%(actor)s withdrew the acknowledgement of %(member)s's dual role.")
    if kind == "team" and action == "changed" and not changed:
        return _("%(actor)s changed the managers of the team %(team)s.")
    if kind == "member" and action == "changed" and not changed and "user_id" in entry.changes:
        return (
            _("%(actor)s linked %(member)s to a login.")
            if values["user_id"]
            else _("%(actor)s unlinked %(member)s from their login.")
        )
    if action == "changed" and not changed:  # saved again as it was, or only who last saved it changed
        return _("%(actor)s saved %(object)s again, unchanged.")
    return TEMPLATES[kind][action]()


TEMPLATES = {
    "assignment": {
        "created": lambda: _("%(actor)s assigned %(member)s to %(task)s (%(share)s %%)."),
        "changed": lambda: _("%(actor)s changed %(member)s's assignment to %(task)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s removed %(member)s from %(task)s."),
    },
    "task": {
        "created": lambda: _("%(actor)s added the task %(task)s."),
        "changed": lambda: _("%(actor)s changed the task %(task)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s deleted the task %(task)s."),
    },
    "member": {
        "created": lambda: _("%(actor)s added %(member)s to the team."),
        "changed": lambda: _("%(actor)s changed %(member)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s removed %(member)s from the team."),
    },
    "holding": {
        "created": lambda: _("%(actor)s gave %(member)s the role %(role)s from %(start)s."),
        "changed": lambda: _("%(actor)s changed %(member)s's role %(role)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s removed %(member)s's role %(role)s."),
    },
    "time_off": {
        "created": lambda: _("%(actor)s recorded time off for %(member)s from %(start)s to %(end)s."),
        "changed": lambda: _("%(actor)s changed %(member)s's time off: %(changes)s."),
        "deleted": lambda: _("%(actor)s removed %(member)s's time off from %(start)s to %(end)s."),
    },
    "cover": {
        "created": lambda: _(
            "%(actor)s arranged for %(substitute)s to cover %(member)s on %(task)s from %(start)s to %(end)s."
        ),
        "changed": lambda: _("%(actor)s changed the cover of %(member)s on %(task)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s removed the cover by %(substitute)s for %(member)s on %(task)s."),
    },
    "acknowledgement": {
        "created": lambda: _("%(actor)s acknowledged the dual role of %(member)s."),
        "changed": lambda: _("%(actor)s changed the acknowledgement of %(member)s's dual role: %(changes)s."),
        "deleted": lambda: _("%(actor)s deleted an acknowledgement of %(member)s's dual role."),
    },
    "team": {
        "created": lambda: _("%(actor)s created the team %(team)s."),
        "changed": lambda: _("%(actor)s changed the team %(team)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s deleted the team %(team)s."),
    },
    "role": {
        "created": lambda: _("%(actor)s added the role %(role)s."),
        "changed": lambda: _("%(actor)s changed the role %(role)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s deleted the role %(role)s."),
    },
    "responsibility": {
        "created": lambda: _("%(actor)s added the responsibility %(title)s to the role %(role)s."),
        "changed": lambda: _("%(actor)s changed the responsibility %(title)s of the role %(role)s: %(changes)s."),
        "deleted": lambda: _("%(actor)s deleted the responsibility %(title)s of the role %(role)s."),
    },
}


# "3 tasks": each kind's count, with its plural form in the reader's language.
THINGS = {
    "team": lambda count: ngettext("%(count)s team", "%(count)s teams", count),
    "member": lambda count: ngettext("%(count)s member", "%(count)s members", count),
    "role": lambda count: ngettext("%(count)s role", "%(count)s roles", count),
    "responsibility": lambda count: ngettext("%(count)s responsibility", "%(count)s responsibilities", count),
    "holding": lambda count: ngettext("%(count)s role holding", "%(count)s role holdings", count),
    "time_off": lambda count: ngettext("%(count)s period of time off", "%(count)s periods of time off", count),
    "task": lambda count: ngettext("%(count)s task", "%(count)s tasks", count),
    "assignment": lambda count: ngettext("%(count)s assignment", "%(count)s assignments", count),
    "cover": lambda count: ngettext("%(count)s cover", "%(count)s covers", count),
    "acknowledgement": lambda count: ngettext("%(count)s acknowledgement", "%(count)s acknowledgements", count),
}
assert THINGS.keys() == TRACKED.keys()


def summary(change_set: ChangeSet, counts: Counter) -> str:
    """ "import_plan marketing.json added 3 tasks, 12 assignments; changed 2 members." """
    verbs = {"created": _("added %(things)s"), "changed": _("changed %(things)s"), "deleted": _("removed %(things)s")}
    parts = []
    for action, verb in verbs.items():
        listed = [
            THINGS[kind](counts[kind, action]) % {"count": counts[kind, action]}
            for kind in TRACKED
            if counts[kind, action]
        ]
        if listed:
            parts.append(verb % {"things": ", ".join(listed)})
    return _("%(actor)s %(summary)s.") % {"actor": actor_name(change_set), "summary": "; ".join(parts)}


def object_text(entry: Entry, names: Names) -> str:
    """What the entry is about, in a few words (the API's "object"): "Citra Dewi · Schedule posts (20 %)"."""
    values, kind = entry.values, entry.object_type
    member = names.member(values.get("member_id", entry.object_id if kind == "member" else None))
    dates = f"{values.get('start_date')} – {values.get('end_date') or '…'}"
    if kind == "cover":
        task_id, assignee_id = names.assignments.get(values["assignment_id"], (None, None))
        return f"{member} → {names.member(assignee_id)} · {names.task(task_id)} ({dates})"
    texts = {
        "team": lambda: names.teams.get(entry.object_id, "?"),
        "member": lambda: member,
        "holding": lambda: f"{member} · {names.roles.get(values['role_id'], '?')}",
        "time_off": lambda: f"{member}: {dates}",
        "task": lambda: names.task(entry.object_id),
        "assignment": lambda: f"{member} · {names.task(values['task_id'])} ({values['share_percent']} %)",
        "acknowledgement": lambda: member,
        "role": lambda: names.roles.get(entry.object_id, "?"),
        "responsibility": lambda: str(values.get("title", "")),
    }
    return texts[kind]()
