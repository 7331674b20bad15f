from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def role_catalog(request: HttpRequest) -> HttpResponse:
    """The role catalog side by side by focus, with who holds each role in the viewer's teams.

    A member sees their team's role map; a manager the teams they manage; staff every team.
    """
    context = {"catalog": selectors.role_catalog(user=request.user, today=timezone.localdate()), "active": "roles"}
    return render(request, "roles/catalog.html", context)
