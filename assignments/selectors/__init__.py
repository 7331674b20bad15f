"""Reads behind the pages (docs/rules.md, "Pages"): each gathers one page's data in a fixed number of queries.

They return declared dataclasses, with the page's rules already applied (which flags a group shows,
which holdings can still be ended, which duties are today's); the views add the forms and pick the
template.

- ``overview``: the team overview (heatmap, flags grouped by kind) and the workload document of the API
- ``board``: the assignment board's task cards and its workload badges
- ``member``: a member's page, and My duties
- ``chart``: the SVG bar chart of a member's weeks
- ``bands``: which bands a legend lists, and the thresholds it states (from the settings)
- ``fix``: the pages behind the flags that need a person (who could take the work); imported as a module
  (``from assignments.selectors import fix``), not re-exported here
- ``assign_preview``: the ranked suggestions on the board, and the one preview panel (before → after, flags
  raised and cleared) that the board and the flag pages both show
"""

from .bands import BandLegend
from .board import (
    Board,
    BoardPlace,
    BoardSummary,
    BoardTask,
    ColumnHead,
    LoadsPanel,
    board_place,
    board_roles,
    board_summary,
    board_task,
    team_board,
    team_loads,
)
from .chart import Chart, ChartBar, workload_chart
from .member import HeldRole, MemberPage, MyDuties, member_page, my_duties
from .overview import FLAG_GROUPS, FlagGroup, Overview, group_flags, team_overview, team_workload_document

__all__ = [
    "FLAG_GROUPS",
    "BandLegend",
    "Board",
    "BoardPlace",
    "BoardSummary",
    "BoardTask",
    "Chart",
    "ChartBar",
    "ColumnHead",
    "FlagGroup",
    "HeldRole",
    "LoadsPanel",
    "MemberPage",
    "MyDuties",
    "Overview",
    "board_place",
    "board_roles",
    "board_summary",
    "board_task",
    "group_flags",
    "member_page",
    "my_duties",
    "team_board",
    "team_loads",
    "team_overview",
    "team_workload_document",
    "workload_chart",
]
