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

from .entries import REFERENCES, Entry, Names, actor_name
from .models import TRACKED, ChangeSet


def value_text(entry: Entry, name: str, value: Any, names: Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name in REFERENCES:
        return names.of(REFERENCES[name], value)
    if isinstance(value, list):  # a team's managers
        return ", ".join(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(value, "j M Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j M Y")
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value)
    field = _field(entry, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _field(entry: Entry, attname: str):
    return TRACKED[entry.object_type][0]._meta.get_field(attname.removesuffix("_id"))


def changes_text(entry: Entry, names: Names) -> str:
    """ "share (%) from 50 to 20; end date from — to 4 Dec 2026" """
    return "; ".join(
        _("%(field)s from %(old)s to %(new)s")
        % {
            "field": _field(entry, name).verbose_name,
            "old": value_text(entry, name, old, names),
            "new": value_text(entry, name, new, names),
        }
        for name, (old, new) in entry.said_changes.items()
    )


def _people(entry: Entry, names: Names) -> dict[str, str]:
    """Whom and what the entry is about: a cover names its substitute, the person covered and the task."""
    values = entry.values
    member = names.member(values.get("member_id", entry.object_id if entry.object_type == "member" else None))
    if entry.object_type == "cover":
        task_id, assignee_id = names.assignments.get(values["assignment_id"], (None, None))
        return {"substitute": member, "member": names.member(assignee_id), "task": names.task(task_id)}
    task_id = values.get("task_id", entry.object_id if entry.object_type == "task" else None)
    return {"member": member, "task": names.task(task_id)}


def said(entries: list[Entry], names: Names | None = None) -> list[dict]:
    """Each entry with its sentence in the active language, for the templates."""
    names = names or Names(entries)
    return [{"entry": entry, "text": sentence(entry, names)} for entry in entries]


def sentence(entry: Entry, names: Names) -> str:
    values = entry.values
    words = {"actor": entry.actor, "changes": changes_text(entry, names), **_people(entry, names)}
    for name in ("start_date", "end_date"):
        words[name.removesuffix("_date")] = value_text(entry, name, values.get(name), names)
    role_id = values.get("role_id", entry.object_id if entry.object_type == "role" else None)
    words["role"] = names.roles.get(role_id, "?")
    words["team"] = names.teams.get(entry.object_id, "?") if entry.object_type == "team" else ""
    words["title"] = str(values.get("title", ""))
    words["share"] = values.get("share_percent")
    if "share_percent" in entry.changes:
        words["old"], words["new"] = entry.changes["share_percent"]
    if "accountable_id" in entry.changes:  # who was accountable for the task, and who is now
        old, new = entry.changes["accountable_id"]
        words["old"] = names.member(old)
        words["new"] = words["member"] = names.member(new)
    words["object"] = object_text(entry, names)
    # "50 %" never breaks between the number and its sign on a narrow screen
    return (_template(entry, values) % words).replace(" %", "\u00a0%")


def _template(entry: Entry, values: dict) -> str:
    kind, action, changed = entry.object_type, entry.action, set(entry.said_changes)
    raci = _raci_template(entry, values, changed)
    if raci is not None:
        return raci
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
    if kind == "team" and action == "changed" and changed == {"managers"}:
        return _("%(actor)s changed the managers of the team %(team)s: %(changes)s.")
    if kind == "member" and action == "changed" and not changed and "user_id" in entry.changes:
        return (
            _("%(actor)s linked %(member)s to a login.")
            if values["user_id"]
            else _("%(actor)s unlinked %(member)s from their login.")
        )
    if action == "changed" and not changed:  # saved again as it was, or only who last saved it changed
        return _("%(actor)s saved %(object)s again, unchanged.")
    return SENTENCES[kind][action]()


def _raci_template(entry: Entry, values: dict, changed: set[str]) -> str | None:
    """RACI's sentences: who is accountable for a task, who is consulted or informed, the team's switch."""
    kind, action = entry.object_type, entry.action
    if kind == "task" and action == "changed" and changed == {"accountable_id"}:
        old, new = entry.changes["accountable_id"]
        if old is None:
            return _("%(actor)s made %(member)s accountable for %(task)s.")
        if new is None:
            return _("%(actor)s removed %(old)s as accountable for %(task)s, leaving nobody accountable.")
        return _("%(actor)s changed who is accountable for %(task)s from %(old)s to %(new)s.")
    if kind == "team" and action == "changed" and changed == {"raci_enabled"}:
        return (
            _("%(actor)s switched RACI on for the team %(team)s.")
            if values["raci_enabled"]
            else _("%(actor)s switched RACI off for the team %(team)s.")
        )
    if kind != "involvement" or (action == "changed" and changed != {"kind"}):
        return None  # the general sentences (a member or task moved in the admin: "changed …: member from …")
    consulted = values["kind"] == "consulted"
    if action == "created":
        return (
            _("%(actor)s asked for %(member)s to be consulted on %(task)s.")
            if consulted
            else _("%(actor)s asked for %(member)s to be informed of %(task)s.")
        )
    if action == "changed":
        return (
            _("%(actor)s asked for %(member)s to be consulted on %(task)s instead of informed.")
            if consulted
            else _("%(actor)s asked for %(member)s to be informed of %(task)s instead of consulted.")
        )
    return (
        _("%(actor)s took %(member)s off the people consulted on %(task)s.")
        if consulted
        else _("%(actor)s took %(member)s off the people informed of %(task)s.")
    )


SENTENCES = {
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
    "involvement": {  # only a change of more than its kind: the rest are _raci_template's
        "changed": lambda: _("%(actor)s changed how %(member)s is involved in %(task)s: %(changes)s."),
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
    "involvement": lambda count: ngettext(
        "%(count)s person consulted or informed", "%(count)s people consulted or informed", count
    ),
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
    values, kind, people = entry.values, entry.object_type, _people(entry, names)
    dates = f"{values.get('start_date')} – {values.get('end_date') or '…'}"
    texts = {
        "team": lambda: names.teams.get(entry.object_id, "?"),
        "member": lambda: people["member"],
        "holding": lambda: f"{people['member']} · {names.roles.get(values['role_id'], '?')}",
        "time_off": lambda: f"{people['member']}: {dates}",
        "task": lambda: people["task"],
        "assignment": lambda: f"{people['member']} · {people['task']} ({values['share_percent']} %)",
        "cover": lambda: f"{people['substitute']} → {people['member']} · {people['task']} ({dates})",
        "acknowledgement": lambda: people["member"],
        "involvement": lambda: f"{people['member']} · {people['task']}",
        "role": lambda: names.roles.get(entry.object_id, "?"),
        "responsibility": lambda: str(values.get("title", "")),
    }
    return texts[kind]()
