"""The RACI matrix's cells, written here: a page holds up to 25 tasks of each focus × 25 members, and a template
per cell would cost more than the rest of the page (the overview's heatmap cells are written the same way).

A cell is a link to its small form (``raci_cell``): htmx fetches the form into the cell (the table's
``hx-target="closest td"``), and without JavaScript the link opens a page with the same form. The letters are
text, not colours alone: R (with the hours), A, C or I, each in its own shape; a hidden sentence says them in
words for screen readers, after the row's task and the column's member that the table's headers give.
"""

from __future__ import annotations

from fractions import Fraction

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from assignments.formatting import hours_display
from assignments.raci import ACCOUNTABLE, CONSULTED, INFORMED
from assignments.selectors.raci import RaciTask, RaciWindow
from roles.models import Team

TASK_SLOT, MEMBER_SLOT = 987654321987, 987654321988  # ids no URL holds otherwise: where each cell's ids go
CELL_HTML = (
    '<td class="raci-cell{classes}" id="cell-{task}-{member}"><a class="raci-cell__link" href="{url}" '
    'hx-get="{url}"{focus}><span class="raci-marks" aria-hidden="true">{marks}</span>'
    '<span class="visually-hidden">{words}</span></a></td>'
)
LETTER_HTML = '<span class="raci-letter raci-letter--{kind}">{letter}</span>'


class CellWriter:
    """Writes the cells of one response: each URL name reversed once, each word translated once."""

    def __init__(self, team: Team, window: RaciWindow, query: str):
        self.window = window
        url = reverse("assignments:raci_cell", args=[team.slug, TASK_SLOT, MEMBER_SLOT])
        before, _slot, rest = url.partition(str(TASK_SLOT))
        middle, _slot, after = rest.partition(str(MEMBER_SLOT))
        self.parts = (before, middle, after + query)
        self.words = {
            "R": _("Responsible"),
            ACCOUNTABLE: _("Accountable"),
            CONSULTED: _("Consulted"),
            INFORMED: _("Informed"),
        }
        self.none = escape(_("no letter"))
        self.change = escape(_("change"))
        self.hours_pattern = _("%(hours)s h")
        self.hours: dict[Fraction, str] = {}

    def url(self, task_id: int, member_id: int) -> str:
        before, middle, after = self.parts
        return f"{before}{task_id}{middle}{member_id}{after}"

    def hours_text(self, value: Fraction) -> str:
        if value not in self.hours:
            self.hours[value] = escape(self.hours_pattern % {"hours": hours_display(value)})
        return self.hours[value]

    def cell(self, task: RaciTask, member_id: int, *, focus: bool = False) -> str:
        """The cell of ``member_id`` on ``task``; ``focus``: the one just changed takes the focus after the swap."""
        hours = self.window.responsible.get((task.id, member_id))
        letter = self.window.letter(task, member_id)
        classes, marks, words = "", [], []
        if hours is not None:
            classes += " raci-cell--r"
            marks.append(
                LETTER_HTML.format(kind="r", letter="R") + f'<span class="raci-hours">{self.hours_text(hours)}</span>'
            )
            words.append(f"{escape(self.words['R'])}, {self.hours_text(hours)}")
        if letter:
            classes += f" raci-cell--{letter.lower()}"
            marks.append(LETTER_HTML.format(kind=letter.lower(), letter=letter))
            words.append(escape(self.words[letter]))
        if not marks:
            marks.append('<span class="raci-none">–</span>')
            words.append(self.none)
        return CELL_HTML.format(
            classes=classes,
            task=task.id,
            member=member_id,
            url=escape(self.url(task.id, member_id)),
            focus=" autofocus" if focus else "",
            marks=" ".join(marks),
            words=f"{'; '.join(words)} ({self.change})",
        )

    def row(self, task: RaciTask, members: list[tuple[int, str]], focus_member: int | None = None) -> SafeString:
        """The task's cells for the page's member columns (every value escaped here)."""
        return mark_safe(
            "".join(self.cell(task, member_id, focus=member_id == focus_member) for member_id, _n in members)
        )
