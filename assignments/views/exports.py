"""Downloads of a team's workload, flags and RACI for its managers and staff (docs/rules.md, "Exports").

The window is the workload API's (``?start=&weeks=``, ``WorkloadWindowForm``: default this week and
four weeks). A bad value is refused with 400, in plain text naming the parameter, as the API does and
unlike the pages (**project decision**: a file for another window than the one asked for would be wrong
without saying so once saved; the overview's buttons always send the window it shows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from assignments import exports, selectors
from assignments.forms import WorkloadWindowForm
from assignments.selectors.raci_export import team_raci_rows

from .common import HtmxHttpRequest, managed_team_or_404

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _bad_window(window: WorkloadWindowForm) -> HttpResponse:
    """400, one line per bad parameter: ``start: Must be a date as YYYY-MM-DD.``"""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in window.errors.items()]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _download(
    request: HtmxHttpRequest,
    slug: str,
    *,
    what: str,
    extension: str,
    build: Callable[[Any], str | bytes],
    read: Callable[..., Any] | None = None,
) -> HttpResponse:
    """The team's file of ``what`` for the window asked for, as an attachment named after the team and window.
    ``read(team=, start=, weeks=)`` gives what ``build`` writes: the workload document unless said otherwise."""
    team = managed_team_or_404(request, slug)
    window = WorkloadWindowForm(request.GET)
    if not window.is_valid():
        return _bad_window(window)
    start, weeks = window.cleaned_data["start"], window.cleaned_data["weeks"]
    document = (read or selectors.team_workload_document)(team=team, start=start, weeks=weeks)
    content_type = exports.XLSX_CONTENT_TYPE if extension == "xlsx" else CSV_CONTENT_TYPE
    response = HttpResponse(build(document), content_type=content_type)  # text is encoded as UTF-8
    filename = exports.export_filename(slug=team.slug, what=what, start=start, weeks=weeks, extension=extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True)  # people's workload: no shared cache keeps it
    return response


@login_required
@require_GET
def workload_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One row per member and week (UTF-8 with a BOM)."""
    return _download(request, slug, what="workload", extension="csv", build=exports.workload_csv)


@login_required
@require_GET
def workload_xlsx(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The workbook: the rows of the CSV, the team's totals per week, and the flags."""
    return _download(request, slug, what="workload", extension="xlsx", build=exports.workload_xlsx)


@login_required
@require_GET
def flags_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One row per flag, with the fields of its kind (UTF-8 with a BOM)."""
    return _download(request, slug, what="flags", extension="csv", build=exports.flags_csv)


@login_required
@require_GET
def raci_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One row per active task in the window and person with a letter on it, hours on R rows (UTF-8 with a BOM)."""
    return _download(request, slug, what="raci", extension="csv", build=exports.raci_csv, read=team_raci_rows)
