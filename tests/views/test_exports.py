"""The overview's downloads (docs/rules.md, "Exports"): every figure is the workload document's, for the same window.

The team raises every kind of flag, and its names and titles try to start formulas: a member named
``+SUM(1)``, another ``@cmd`` with the email ``=bob@x.com``, a task titled ``=HYPERLINK(...)``, a role
whose slug starts with ``-``.
"""

import csv
import datetime
import io
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from assignments.exports import FLAG_COLUMNS, FORMULA_STARTS
from roles.models import Role
from tests.factories import (
    make_assignment,
    make_holding,
    make_member,
    make_role,
    make_task,
    make_team,
    make_time_off,
    make_user,
)
from tests.views.test_query_counts import counts_as_the_team_grows

pytestmark = pytest.mark.django_db

WINDOW = {"start": "2026-12-02", "weeks": "2"}  # the weeks of 30 November and 7 December
EVIL_TITLE = '=HYPERLINK("http://evil.example","x")'
WORKLOAD_HEADER = [
    "member",
    "email",
    "week",
    "operational_hours",
    "strategic_hours",
    "total_hours",
    "capacity_hours",
    "utilization",
    "band",
]
ALL_KINDS = {
    "dual_role",
    "duty_uncovered",
    "over_allocated",
    "role_uncovered",
    "single_holder",
    "strategy_squeezed",
    "task_unassigned",
}


def export_url(name: str, slug: str = "marketing") -> str:
    return reverse(f"assignments:export_{name}", args=[slug])


@pytest.fixture
def tricky_team(team, specialist, strategist, this_monday):
    """Every kind of flag, and text that would be a formula if written as it is."""
    ann = make_member(team, full_name="+SUM(1)", email="ann@x.com", weekly_capacity_hours=4)
    bob = make_member(team, full_name="@cmd", email="=bob@x.com", weekly_capacity_hours=40)
    make_holding(ann, specialist, start_date=this_monday)  # both kinds of role: dual_role, single holders
    make_holding(ann, strategist, start_date=this_monday)
    reply = make_task(team, specialist, title="Reply", cadence="daily", effort_hours=1, start_date=this_monday)
    make_assignment(reply, ann)  # 5 h a week against 4 h: over, and no strategy: squeezed
    make_time_off(ann, datetime.date(2026, 12, 2), datetime.date(2026, 12, 2))  # a duty on a day off
    evil = make_task(team, strategist, title=EVIL_TITLE, cadence="weekly", effort_hours=3, start_date=this_monday)
    make_assignment(evil, bob, share_percent=50)  # half assigned
    make_time_off(bob, datetime.date(2026, 12, 7), datetime.date(2026, 12, 7))  # its Monday: a duty on a day off
    nobody = make_role(Role.Focus.OPERATIONAL, name="Nobody's", slug="-uncovered")
    make_task(team, nobody, title="-Monitor", cadence="weekly", effort_hours=1, start_date=this_monday)
    return team


@pytest.fixture
def document(manager_client, tricky_team):
    response = manager_client.get(reverse("assignments:api_team_workload", args=["marketing"]), WINDOW)
    return response.json()


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def escaped(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def test_the_tricky_team_raises_every_kind_of_flag(document):
    assert {flag["kind"] for flag in document["flags"]} == ALL_KINDS


def test_flag_columns_hold_every_field_of_every_kind(document):
    fields = {field for flag in document["flags"] for field in flag}
    assert fields <= {column.name for column in FLAG_COLUMNS}


# ------------------------------------------------------------------------------- workload CSV


def test_workload_csv_has_every_figure_of_the_document(manager_client, document):
    header, *rows = csv_rows(manager_client.get(export_url("workload_csv"), WINDOW))
    assert header == WORKLOAD_HEADER
    expected = [
        [escaped(member["name"]), escaped(member["email"])]
        + [week[name] if week[name] is not None else "" for name in WORKLOAD_HEADER[2:]]
        for member in document["members"]
        for week in member["weeks"]
    ]
    assert rows == expected
    assert len(rows) == 2 * 2  # two members, two weeks


def test_workload_csv_writes_dot_decimals_iso_dates_and_english_bands_in_any_language(
    manager_client, tricky_team, document
):
    english = manager_client.get(export_url("workload_csv"), WINDOW).content
    indonesian = manager_client.get(export_url("workload_csv"), WINDOW, HTTP_ACCEPT_LANGUAGE="id").content
    assert indonesian == english
    [ann_first_week] = [row for row in csv_rows_of(english) if row[0] == "'+SUM(1)" and row[2] == "2026-11-30"]
    assert ann_first_week == ["'+SUM(1)", "ann@x.com", "2026-11-30", "4.00", "0.00", "4.00", "3.20", "1.25", "over"]


def csv_rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))[1:]


def test_workload_csv_is_an_attachment_named_after_team_and_window(manager_client, tricky_team):
    response = manager_client.get(export_url("workload_csv"), WINDOW)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="marketing-workload-2026-11-30-2w.csv"'
    assert "private" in response["Cache-Control"]


def test_export_window_defaults_to_the_api_s_this_week_and_four_weeks(manager_client, tricky_team):
    response = manager_client.get(export_url("workload_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="marketing-workload-2026-11-30-4w.csv"'
    assert len(csv_rows(response)) == 1 + 2 * 4


def test_workload_command_csv_prints_the_export(manager_client, tricky_team):
    stdout = StringIO()
    call_command(
        "workload", "--team", "marketing", "--start", "2026-12-02", "--weeks", "2", "--format", "csv", stdout=stdout
    )
    assert stdout.getvalue().encode() == manager_client.get(export_url("workload_csv"), WINDOW).content


def test_workload_command_csv_does_not_change_with_the_language(tricky_team):
    outputs = []
    for language in ("en", "id"):
        stdout = StringIO()
        call_command("workload", "--team", "marketing", "--format", "csv", "--language", language, stdout=stdout)
        outputs.append(stdout.getvalue())
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------------------------- flags CSV


def test_flags_csv_has_one_row_per_flag_with_the_document_s_fields(manager_client, document):
    response = manager_client.get(export_url("flags_csv"), WINDOW)
    assert response["Content-Disposition"] == 'attachment; filename="marketing-flags-2026-11-30-2w.csv"'
    header, *rows = csv_rows(response)
    assert header == [column.name for column in FLAG_COLUMNS]
    assert len(rows) == len(document["flags"])
    for row, flag in zip(rows, document["flags"], strict=True):
        written = dict(zip(header, row, strict=True))
        for field in header:
            value = flag.get(field)
            if isinstance(value, bool):
                assert written[field] == ("true" if value else "false"), field
            elif isinstance(value, str):
                assert written[field] == escaped(value), field
            else:  # whole numbers, and fields of other kinds left empty
                assert written[field] == ("" if value is None else str(value)), field


# --------------------------------------------------------------------------------------- Excel


def test_workload_xlsx_holds_numbers_and_dates_with_formats(manager_client, document):
    response = manager_client.get(export_url("workload_xlsx"), WINDOW)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="marketing-workload-2026-11-30-2w.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["Workload", "Totals", "Flags"]
    sheet = book["Workload"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == WORKLOAD_HEADER
    expected = [(member, week) for member in document["members"] for week in member["weeks"]]
    assert sheet.max_row == 1 + len(expected)
    for row, (member, week) in zip(sheet.iter_rows(min_row=2), expected, strict=True):
        cells = dict(zip(WORKLOAD_HEADER, row, strict=True))
        assert (cells["member"].value, cells["email"].value) == (escaped(member["name"]), escaped(member["email"]))
        assert_date(cells["week"], week["week"])
        for name in ("operational_hours", "strategic_hours", "total_hours", "capacity_hours"):
            assert_number(cells[name], week[name], "0.00")
        assert_number(cells["utilization"], week["utilization"], "0%")
        assert (cells["band"].value, cells["band"].data_type) == (week["band"], "s")


def test_workload_xlsx_totals_sheet_is_the_document_s_totals(manager_client, document):
    sheet = workbook(manager_client.get(export_url("workload_xlsx"), WINDOW))["Totals"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["week", "total_hours", "capacity_hours", "utilization"]
    assert sheet.max_row == 1 + len(document["totals"])
    for (week, total, capacity, utilization), expected in zip(
        sheet.iter_rows(min_row=2), document["totals"], strict=True
    ):
        assert_date(week, expected["week"])
        assert_number(total, expected["total_hours"], "0.00")
        assert_number(capacity, expected["capacity_hours"], "0.00")
        assert_number(utilization, expected["utilization"], "0%")


def test_workload_xlsx_flags_sheet_is_the_document_s_flags(manager_client, document):
    sheet = workbook(manager_client.get(export_url("workload_xlsx"), WINDOW))["Flags"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == [column.name for column in FLAG_COLUMNS]
    assert sheet.max_row == 1 + len(document["flags"])
    kinds = {column.name: column.kind for column in FLAG_COLUMNS}
    for row, flag in zip(sheet.iter_rows(min_row=2), document["flags"], strict=True):
        for name, cell in zip(header, row, strict=True):
            value = flag.get(name)
            if value is None:
                assert cell.value is None, name
            elif kinds[name] == "date":
                assert_date(cell, value)
            elif kinds[name] in ("hours", "ratio"):
                assert_number(cell, value, "0.00" if kinds[name] == "hours" else "0%")
            elif isinstance(value, str):
                assert (cell.value, cell.data_type) == (escaped(value), "s"), name
            else:  # booleans and whole numbers
                assert cell.value == value and type(cell.value) is type(value), name


def test_workload_xlsx_columns_are_wide_enough_for_their_header(manager_client, document):
    sheet = workbook(manager_client.get(export_url("workload_xlsx"), WINDOW))["Workload"]
    for cell in sheet[1]:
        assert sheet.column_dimensions[cell.column_letter].width >= len(cell.value)


def assert_date(cell, iso: str) -> None:
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert cell.value.date() == datetime.date.fromisoformat(iso)


def assert_number(cell, text: str | None, number_format: str) -> None:
    if text is None:
        assert cell.value is None
        return
    assert cell.data_type == "n" and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
    assert Decimal(repr(cell.value)).quantize(Decimal("0.01")) == Decimal(text)
    assert cell.number_format == number_format


# ---------------------------------------------------------------------------- formula injection


def test_no_csv_cell_starts_a_formula(manager_client, tricky_team):
    quoted = {
        "workload_csv": {"'+SUM(1)", "'@cmd", "'=bob@x.com"},
        "flags_csv": {"'=bob@x.com", f"'{EVIL_TITLE}", "'-uncovered", "'-Monitor"},
    }
    for name, expected in quoted.items():
        cells = {cell for row in csv_rows(manager_client.get(export_url(name), WINDOW)) for cell in row}
        assert not {cell for cell in cells if cell.startswith(FORMULA_STARTS)}, name
        assert expected <= cells, name


def test_no_xlsx_cell_is_a_formula_or_starts_one(manager_client, tricky_team):
    book = workbook(manager_client.get(export_url("workload_xlsx"), WINDOW))
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    assert {"'+SUM(1)", "'@cmd", "'=bob@x.com", f"'{EVIL_TITLE}", "'-uncovered"} <= set(texts)


# ------------------------------------------------------------------------------- window, access


@pytest.mark.parametrize("name", ["workload_csv", "workload_xlsx", "flags_csv"])
@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({"start": "30/11/2026"}, "start: Must be a date as YYYY-MM-DD.\n"),
        ({"start": "3000-01-01"}, "start: Must be a date between 1900 and 2999.\n"),
        ({"weeks": "27"}, "weeks: Must be a whole number from 1 to 26.\n"),
        (
            {"start": "x", "weeks": "0"},
            "start: Must be a date as YYYY-MM-DD.\nweeks: Must be a whole number from 1 to 26.\n",
        ),
    ],
)
def test_bad_window_gives_400_in_plain_text_naming_the_parameter(manager_client, team, name, query, body):
    response = manager_client.get(export_url(name), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    assert response.content.decode() == body


@pytest.mark.parametrize("name", ["workload_csv", "workload_xlsx", "flags_csv"])
def test_exports_are_404_for_a_member_and_another_team_s_manager(client, team, tricky_team, name):
    member_login, other_manager = make_user(), make_user()
    make_member(team, user=member_login)
    make_team(slug="other").managers.add(other_manager)
    for user in (member_login, other_manager):
        client.force_login(user)
        assert client.get(export_url(name), WINDOW).status_code == 404
        assert client.get(export_url(name), {"start": "bad"}).status_code == 404  # the team first, then the window
    client.logout()
    response = client.get(export_url(name), WINDOW)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# session, login, the team (with the managers check), then the engine's six: whatever the team's size
EXPORT_QUERIES = 9


@pytest.mark.parametrize("name", ["workload_csv", "workload_xlsx", "flags_csv"])
def test_export_query_count_is_pinned_whatever_the_team_size(
    manager_client, team, specialist, strategist, this_monday, name
):
    url = f"{export_url(name)}?start={this_monday.isoformat()}&weeks=6"
    counts = counts_as_the_team_grows(manager_client, url, team, specialist, strategist, this_monday)
    assert counts == [EXPORT_QUERIES] * 2


# -------------------------------------------------------------------------------- the overview


def test_overview_offers_the_downloads_of_the_weeks_it_shows(manager_client, team):
    response = manager_client.get(reverse("assignments:team_overview", args=["marketing"]), {"start": "2026-12-09"})
    query = "?start=2026-12-07&amp;weeks=6"
    for name, label in [
        ("workload_xlsx", "Workload (Excel)"),
        ("workload_csv", "Workload (CSV)"),
        ("flags_csv", "Flags (CSV)"),
    ]:
        link = f'<a class="button button--quiet button--small" href="{export_url(name)}{query}" download>{label}</a>'
        assertContains(response, link, html=True)


def test_overview_download_matches_the_api_for_the_overview_s_window(manager_client, tricky_team):
    """What the button downloads is the document of the weeks on screen."""
    query = {"start": "2026-12-09", "weeks": "6"}
    document = manager_client.get(reverse("assignments:api_team_workload", args=["marketing"]), query).json()
    rows = csv_rows(manager_client.get(export_url("workload_csv"), query))[1:]
    assert document["weeks"][0] == "2026-12-07"
    assert [row[2] for row in rows] == [week["week"] for member in document["members"] for week in member["weeks"]]
