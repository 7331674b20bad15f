"""Reading the plan document: typed values with their paths in the file, and ``PlanError``."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# The path of the document itself, for the errors about the whole file ("file: must be an object").
FILE_PATH = "file"


class PlanError(Exception):
    """The plan file has problems; ``errors`` lists each as ``path: message``, one line each."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def one_line(text: str) -> str:
    """``text`` with its control, format and line-breaking characters escaped (``\\n``, ``\\x1b``, ``\\u2028``).

    Error lines quote values and keys from the file; escaped, a hostile file can
    neither break a line in two nor send terminal escape sequences.
    """
    return "".join(
        character.encode("unicode_escape").decode("ascii")
        if unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"}
        else character
        for character in text
    )


_MISSING = object()


class Reader:
    """Reads typed values out of the JSON document, collecting errors with their paths.

    Values are checked by the model field they are stored in (``Field.clean``:
    its type, choices, length and validators), so the file accepts exactly what
    the database holds, with Django's messages. A value that is missing or bad
    is read as ``None`` so that the later checks skip it instead of piling on.
    """

    def __init__(self):
        self.errors: list[str] = []
        self._failed_paths: set[str] = set()

    def error(self, path: str, message: str) -> None:
        self.errors.append(one_line(f"{path or FILE_PATH}: {message}"))
        self._failed_paths.add(path)

    def failed(self, path: str) -> bool:
        """Whether an error was already reported at ``path`` (so a rule need not pile another on it)."""
        return path in self._failed_paths

    def object(self, value: Any, path: str, keys: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("must be an object"))
            return None
        for key in sorted(set(value) - keys):
            self.error(f"{path}.{key}" if path else key, _("unknown key"))
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            return []
        if not isinstance(value, list):
            self.error(path, _("must be a list"))
            return []
        return value

    def repeats(self, items: Iterable[tuple[str, Any, str]]) -> None:
        """``items`` are ``(path, key, shown)``; each later item whose ``key`` came before is an error at its path.

        ``key`` is what makes two items the same (a ``None`` key is skipped: its
        value was missing or bad), ``shown`` the value as the message names it.
        """
        first_paths: dict[Any, str] = {}
        for path, key, shown in items:
            if key is None:
                continue
            if key in first_paths:
                self.error(
                    path,
                    _("%(value)s is listed twice (first at %(first)s)")
                    % {
                        "value": shown,
                        "first": first_paths[key],
                    },
                )
            else:
                first_paths[key] = path

    def overlaps(self, periods: list[tuple[str, datetime.date | None, datetime.date | None]]) -> None:
        """``periods`` are ``(path, start, end)`` (``end`` None: open); each overlap is an error at the later path.

        Sorted by start and swept once (not every pair), so a long list stays fast.
        Periods with a bad date are left out: their own error is already reported.
        """
        order = {path: index for index, (path, _start, _end) in enumerate(periods)}
        reach: tuple[str, datetime.date | None] | None = None  # the period reaching furthest so far
        for path, start, end in sorted(periods, key=lambda period: (period[1], order[period[0]])):
            if reach is not None and (reach[1] is None or start <= reach[1]):
                later, earlier = (path, reach[0]) if order[path] > order[reach[0]] else (reach[0], path)
                if not self.failed(later):
                    self.error(later, _("overlaps %(other)s") % {"other": earlier})
            if reach is None or (reach[1] is not None and (end is None or end > reach[1])):
                reach = (path, end)

    def field(
        self,
        obj: dict,
        path: str,
        model: type[models.Model],
        name: str,
        *,
        key: str | None = None,
        required: bool = True,
    ) -> Any:
        """``obj[key]`` (``key`` is ``name`` unless given) at ``path.key``, checked as ``model.name`` is stored."""
        key = key or name
        return self.value(obj, key, f"{path}.{key}", model._meta.get_field(name), required=required)

    def value(
        self,
        obj: dict,
        key: str,
        path: str,
        model_field: models.Field,
        *,
        required: bool = True,
    ) -> Any:
        """``obj[key]`` checked by ``model_field``, with any error reported at ``path``.

        A missing or null value is an error unless not ``required``, when the
        field's own default stands in (the model's default, else ``""`` for text
        and ``None`` for a date or a number). A bad value is an error and ``None``.
        """
        raw = obj.get(key, _MISSING)
        if raw is _MISSING or (raw is None and not required):
            if required:
                self.error(path, _("is required"))
                return None
            return model_field.get_default()
        if raw is None:
            self.error(path, _("must not be null"))
            return None
        raw, expected = _json_type(model_field, raw)
        if expected is not None:
            self.error(path, _("must be %(expected)s") % {"expected": expected})
            return None
        if isinstance(raw, str) and not isinstance(model_field, models.TextField):
            raw = raw.strip()
        try:
            value = model_field.clean(raw, None)
        except ValidationError as error:
            self.error(path, " ".join(error.messages))
            return None
        if isinstance(model_field, models.DecimalField) and value is not None and not value.is_finite():
            self.error(path, _("must be a number"))
            return None
        return value


def _json_type(model_field: models.Field, raw: Any) -> tuple[Any, str | None]:
    """``raw`` ready for ``model_field.clean``, and what was expected instead if its JSON type is wrong."""
    if isinstance(model_field, (models.CharField, models.TextField, models.DateField)):
        ok = isinstance(raw, str)
        expected = _("a date (YYYY-MM-DD)") if isinstance(model_field, models.DateField) else _("text")
    elif isinstance(model_field, models.BooleanField):
        ok, expected = isinstance(raw, bool), _("true or false")
    elif isinstance(model_field, models.DecimalField):
        ok = isinstance(raw, (str, int, float, Decimal)) and not isinstance(raw, bool)
        expected = _("a number")
        if isinstance(raw, float):  # json.loads without parse_float=Decimal: keep the written digits
            raw = str(raw)
    elif isinstance(model_field, models.IntegerField):
        ok = isinstance(raw, int) and not isinstance(raw, bool)
        expected = _("a whole number")
    else:  # pragma: no cover - every field the plan reads is one of the above
        raise TypeError(model_field)
    return raw, None if ok else expected
