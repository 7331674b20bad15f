"""The exports of a team's workload (docs/rules.md, "Exports"): the workload document laid out as tables.

Every figure is read from the workload document (``document.workload_document``), never computed again:
the CSV writes the document's own strings ("8.17", "2026-11-30"), the Excel file the same values as
numbers and dates. Nothing here changes with the language: English column names, dot decimals, ISO dates.
The RACI export's rows (``selectors.raci_export``) come in the same string forms and are written the same way.

A text cell that a spreadsheet could read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return, also after leading spaces) gets a single quote in front, in the CSV and in the
Excel file alike (OWASP, "CSV Injection"); numbers and dates are written by us and need none.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a column holds: how the document writes it, how the Excel file shows it.
TEXT, HOURS, RATIO, DATE, WHOLE, YES_NO = "text", "hours", "ratio", "date", "whole", "yes_no"
NUMBER_FORMATS = {HOURS: "0.00", RATIO: "0%", DATE: "yyyy-mm-dd", WHOLE: "0"}
MIN_WIDTH, MAX_WIDTH = 8, 60  # Excel column widths, in characters


@dataclass(frozen=True)
class Column:
    name: str  # the column's English name, and the key of the value in the document
    kind: str

    def value(self, source: dict[str, Any]) -> Any:
        """The typed value of this column from a document object (``None`` when it has no such field)."""
        found = source.get(self.name)
        if found is None:
            return None
        if self.kind == TEXT:  # control characters out first: what is left is what a spreadsheet reads
            return safe_text(ILLEGAL_CHARACTERS_RE.sub("", str(found)))
        if self.kind in (HOURS, RATIO):
            return Decimal(found)  # the document's string, exactly: "8.17" is Decimal("8.17")
        if self.kind == DATE:
            return datetime.date.fromisoformat(found)
        return found  # whole numbers and booleans are already typed in the document


WORKLOAD_COLUMNS = (
    Column("member", TEXT),
    Column("email", TEXT),
    Column("week", DATE),
    Column("operational_hours", HOURS),
    Column("strategic_hours", HOURS),
    Column("total_hours", HOURS),
    Column("capacity_hours", HOURS),
    Column("utilization", RATIO),
    Column("band", TEXT),
)
TOTALS_COLUMNS = (
    Column("week", DATE),
    Column("total_hours", HOURS),
    Column("capacity_hours", HOURS),
    Column("utilization", RATIO),
)
# Every field a flag of the document can carry (docs/rules.md, "Flags (exact)"); a flag leaves the
# fields of other kinds empty.
FLAG_COLUMNS = (
    Column("kind", TEXT),
    Column("member", TEXT),
    Column("role", TEXT),
    Column("task", TEXT),
    Column("week", DATE),
    Column("date", DATE),
    Column("hours", HOURS),
    Column("total_hours", HOURS),
    Column("capacity_hours", HOURS),
    Column("utilization", RATIO),
    Column("operational_hours", HOURS),
    Column("strategic_hours", HOURS),
    Column("strategic_share", RATIO),
    Column("explicit", YES_NO),
    Column("by_work", YES_NO),
    Column("acknowledged", YES_NO),
    Column("assigned_share", WHOLE),
)

# RACI (``selectors.raci_export``): one row per task and person with a letter; hours on R rows only.
RACI_COLUMNS = (
    Column("task", TEXT),
    Column("focus", TEXT),
    Column("role", TEXT),
    Column("member", TEXT),
    Column("email", TEXT),
    Column("letter", TEXT),
    Column("hours", HOURS),
)


def safe_text(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet could take it for a formula."""
    return f"'{text}" if text.lstrip(" ").startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Table:
    """One sheet of an export: its columns and its rows of typed values (text already made safe)."""

    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]


def rows_of(columns: tuple[Column, ...], sources: list[dict[str, Any]]) -> list[list[Any]]:
    return [[column.value(source) for column in columns] for source in sources]


def workload_table(document: dict[str, Any]) -> Table:
    """One row per member and week, members in the document's order (by name, then email)."""
    sources = [
        {"member": member["name"], "email": member["email"], **week}
        for member in document["members"]
        for week in member["weeks"]
    ]
    return Table("Workload", WORKLOAD_COLUMNS, rows_of(WORKLOAD_COLUMNS, sources))


def totals_table(document: dict[str, Any]) -> Table:
    return Table("Totals", TOTALS_COLUMNS, rows_of(TOTALS_COLUMNS, document["totals"]))


def flags_table(document: dict[str, Any]) -> Table:
    """One row per flag, in the document's order, with the fields of its kind."""
    return Table("Flags", FLAG_COLUMNS, rows_of(FLAG_COLUMNS, document["flags"]))


# ------------------------------------------------------------------------------------------ CSV


def csv_cell(value: Any) -> str:
    """A typed value as the CSV writes it: the document's forms, locale-neutral."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_text(table: Table) -> str:
    """The table as CSV (RFC 4180: comma, double quotes where needed, CRLF), with the BOM in front."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.name for column in table.columns])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return BOM + buffer.getvalue()


def workload_csv(document: dict[str, Any]) -> str:
    return csv_text(workload_table(document))


def flags_csv(document: dict[str, Any]) -> str:
    return csv_text(flags_table(document))


def raci_csv(rows: list[dict[str, Any]]) -> str:
    """The RACI rows as CSV, each cell made safe as the workload's are."""
    return csv_text(Table("RACI", RACI_COLUMNS, rows_of(RACI_COLUMNS, rows)))


# ---------------------------------------------------------------------------------------- Excel


def workload_xlsx(document: dict[str, Any]) -> bytes:
    """The workbook: the "Workload" sheet (as the CSV), "Totals" (the team per week) and "Flags"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in (workload_table(document), totals_table(document), flags_table(document)):
        write_sheet(workbook.create_sheet(table.title), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet: Worksheet, table: Table) -> None:
    """A bold, frozen header with a filter; numbers and dates as such, with their formats; widths that fit."""
    sheet.append([column.name for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([xlsx_value(value) for value in row])
    for index, column in enumerate(table.columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if cell.value is None:
                continue
            if column.kind == TEXT:
                cell.data_type = "s"  # never a formula or an error code, whatever the text
            elif column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column, table.rows, index - 1)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def xlsx_value(value: Any) -> Any:
    """A typed value for openpyxl: text without the control characters a worksheet cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def column_width(column: Column, rows: list[list[Any]], position: int) -> float:
    """Room for the header and the longest value shown (dates and hours are short), within bounds."""
    longest = max((len(csv_cell(row[position])) for row in rows), default=0)
    return min(MAX_WIDTH, max(MIN_WIDTH, len(column.name), longest) + 2)


def export_filename(*, slug: str, what: str, start: datetime.date, weeks: int, extension: str) -> str:
    """``marketing-workload-2026-11-30-6w.csv``: the team, what, and the window (a slug needs no quoting)."""
    return f"{slug}-{what}-{start.isoformat()}-{weeks}w.{extension}"
