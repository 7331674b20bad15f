"""The models' own rules on one row of the file, reported at the row's keys in the models' words.

A row is built as an unsaved instance of its model and checked the way a form
checks it: ``clean()`` (end on or after start, a one-off task's end date,
effort above 0, a task title free in its team...) and the model's
CheckConstraints (capacity 0 to 168...), which Django evaluates with the
database without writing. Each field was already checked by ``Field.clean``
(its validators included) while reading, so the plan states none of these
rules itself.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .reader import Reader


def check_model_rules(reader: Reader, path: str, instance: models.Model, *, clean: bool = True) -> None:
    """Report what ``instance.clean()`` (unless ``clean`` is False) and its CheckConstraints refuse.

    An error is reported at ``path.<field>`` (the file's keys are the fields'
    names), or at ``path`` when it names no field; a field that already has an
    error is neither reported again nor used by a constraint.
    """
    if clean:
        try:
            instance.clean()
        except ValidationError as error:
            _report(reader, path, error)
    field_order = [model_field.name for model_field in instance._meta.concrete_fields]
    failed = {name for name in field_order if reader.failed(f"{path}.{name}")}
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue  # uniqueness is about other rows: the plan matches rows instead
        names = [name for name in field_order if name in _condition_fields(constraint.condition)]
        if not names or failed.intersection(names):
            continue
        try:
            constraint.validate(type(instance), instance, exclude=failed)
        except ValidationError as error:
            # A rule on several fields is about the last of them (the end date, not the start).
            target = f"{path}.{names[-1]}"
            reader.error(target, " ".join(error.messages))
            failed.add(names[-1])


def _report(reader: Reader, path: str, error: ValidationError) -> None:
    for name, messages in error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]:
        target = path if name in ("", NON_FIELD_ERRORS) else f"{path}.{name}"
        if not reader.failed(target):
            reader.error(target, " ".join(messages))


def _condition_fields(condition) -> set[str]:
    """The names of the fields a constraint's condition reads (``Q`` lookups and ``F`` references)."""
    names: set[str] = set()
    pending = [condition]
    while pending:
        node = pending.pop()
        if isinstance(node, models.Q):
            for child in node.children:
                if isinstance(child, tuple):  # (lookup, value)
                    names.add(child[0].split("__")[0])
                    pending.append(child[1])
                else:
                    pending.append(child)
        elif isinstance(node, models.F):
            names.add(node.name.split("__")[0])
        elif hasattr(node, "get_source_expressions"):
            pending.extend(node.get_source_expressions())
    return names
