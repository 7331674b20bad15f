"""The export tables (assignments/exports.py): escaping, cell forms, the Excel writer, the command's CSV.

The figures against the workload document, over HTTP: tests/views/test_exports.py.
"""

import csv
import datetime
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from assignments.exports import csv_cell, export_filename, flags_csv, safe_text, workload_csv, workload_xlsx
from tests.factories import MONDAY, make_assignment, make_member, make_task, make_team

pytestmark = pytest.mark.django_db


def document_with(name: str = "Ann", email: str = "ann@x.com", task: str = "Reply") -> dict:
    """A one-member, one-week workload document, as ``workload_document`` writes it."""
    week = {
        "week": "2026-11-30",
        "operational_hours": "8.17",
        "strategic_hours": "0.00",
        "total_hours": "8.17",
        "capacity_hours": "0.00",
        "utilization": None,
        "band": "over",
    }
    return {
        "team": "marketing",
        "weeks": ["2026-11-30"],
        "members": [{"email": email, "name": name, "weeks": [week]}],
        "totals": [{"week": "2026-11-30", "total_hours": "8.17", "capacity_hours": "0.00", "utilization": None}],
        "flags": [{"kind": "task_unassigned", "task": task, "assigned_share": 50}],
    }


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(1)", "'+SUM(1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("  =1+1", "'  =1+1"),  # spaces in front do not hide it
        ("Ann", "Ann"),
        ("a=b", "a=b"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_safe_text_quotes_what_a_spreadsheet_would_take_for_a_formula(text, written):
    assert safe_text(text) == written


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("8.17"), "8.17"),
        (Decimal("0.00"), "0.00"),
        (Decimal("100.00"), "100.00"),
        (datetime.date(2026, 11, 30), "2026-11-30"),
        (True, "true"),
        (False, "false"),
        (50, "50"),
        (None, ""),
    ],
)
def test_csv_cells_are_locale_neutral(value, written):
    assert csv_cell(value) == written


def test_csv_quotes_commas_quotes_and_line_breaks_and_reads_back(settings):
    name = 'Ann "the, first"\nline two'
    text = workload_csv(document_with(name=name))
    assert text.startswith("\ufeffmember,email,week,")
    assert "\r\n" in text
    [_header, row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert row[0] == name


def test_csv_leaves_an_undefined_utilization_empty():
    [_header, row] = list(csv.reader(io.StringIO(workload_csv(document_with()).removeprefix("\ufeff"))))
    assert row[6:] == ["0.00", "", "over"]


def test_flags_csv_quotes_a_formula_title():
    text = flags_csv(document_with(task='=HYPERLINK("http://evil.example","x")'))
    [_header, row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert row[3] == '\'=HYPERLINK("http://evil.example","x")'


def test_xlsx_drops_control_characters_a_worksheet_cannot_hold():
    book = openpyxl.load_workbook(io.BytesIO(workload_xlsx(document_with(name="Ann\x01\x1f"))))
    assert book["Workload"]["A2"].value == "Ann"


def test_xlsx_keeps_an_error_code_or_a_long_title_as_text():
    book = openpyxl.load_workbook(io.BytesIO(workload_xlsx(document_with(name="#N/A", task="x" * 300))))
    assert (book["Workload"]["A2"].value, book["Workload"]["A2"].data_type) == ("#N/A", "s")
    assert book["Flags"]["D2"].value == "x" * 300
    assert book["Flags"].column_dimensions["D"].width == 60  # wide, but not as wide as the title


def test_export_filename_says_team_what_and_window():
    name = export_filename(slug="marketing", what="flags", start=MONDAY, weeks=6, extension="csv")
    assert name == "marketing-flags-2026-11-30-6w.csv"


@pytest.fixture
def team():
    team = make_team(slug="marketing")
    sari = make_member(team, full_name="Sari", email="sari@x.com")
    make_assignment(make_task(team, cadence="daily", effort_hours=1, start_date=MONDAY), sari, 50)
    return team


def test_workload_command_csv_is_the_document_as_rows(team):
    stdout = StringIO()
    call_command(
        "workload", "--team", "marketing", "--start", "2026-12-02", "--weeks", "1", "--format", "csv", stdout=stdout
    )
    assert stdout.getvalue() == (
        "\ufeffmember,email,week,operational_hours,strategic_hours,total_hours,capacity_hours,utilization,band\r\n"
        "Sari,sari@x.com,2026-11-30,2.50,0.00,2.50,40.00,0.06,under\r\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--start", "2026-13-01"], "--start: Must be a date as YYYY-MM-DD."),
        (["--weeks", "0"], "--weeks: Must be a whole number from 1 to 26."),
    ],
)
def test_workload_command_csv_refuses_a_bad_window_as_the_others_do(team, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("workload", "--team", "marketing", "--format", "csv", *arguments, stdout=StringIO())


def test_suggest_command_still_offers_text_and_json_only(team):
    with pytest.raises(CommandError, match="invalid choice: 'csv'"):
        call_command("suggest", "--team", "marketing", "--task", "x", "--format", "csv", stdout=StringIO())


def test_a_formula_behind_a_control_character_is_quoted_once_the_character_is_gone():
    """ "\\x01=HYPERLINK(…)": Excel drops the control character, so the quote must go before what is left."""
    name = '\x01=HYPERLINK("http://evil.example","x")'
    [_header, row] = list(csv.reader(io.StringIO(workload_csv(document_with(name=name)).removeprefix("\ufeff"))))
    assert row[0] == '\'=HYPERLINK("http://evil.example","x")'
    book = openpyxl.load_workbook(io.BytesIO(workload_xlsx(document_with(name=name))))
    cell = book["Workload"]["A2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://evil.example","x")', "s")


def test_every_sheet_has_a_bold_frozen_filtered_header():
    book = openpyxl.load_workbook(io.BytesIO(workload_xlsx(document_with())))
    for sheet in book.worksheets:
        assert sheet["A1"].font.b
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
