"""What: tasks, who is assigned to them and covers for them, acknowledged dual roles, and RACI."""

from .assignments import Assignment, AssignmentQuerySet, Cover, DualRoleAcknowledgement
from .raci import TaskInvolvement
from .tasks import Task, TitleField, TitleFormField, clean_title

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "Cover",
    "DualRoleAcknowledgement",
    "Task",
    "TaskInvolvement",
    "TitleField",
    "TitleFormField",
    "clean_title",
]
