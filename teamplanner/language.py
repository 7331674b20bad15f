"""The language: the user's saved choice, else the browser's (Accept-Language, via LocaleMiddleware).

The choice is saved on the login (``UserPreferences``) when made with the
header's switcher, copied into the session at login, and applied on every
request by ``UserLanguageMiddleware`` without a query.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from roles.models import UserPreferences

SESSION_KEY = "teamplanner_language"


class UserLanguageMiddleware:
    """After LocaleMiddleware: a logged-in user's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if language and check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


# Connected at start-up by TeamplannerConfig.ready().
@receiver(user_logged_in)
def remember_language_at_login(sender, request, user, **kwargs):
    if request is None:
        return
    language = UserPreferences.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[SESSION_KEY] = language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, redirect back), and for a logged-in user: saved for next time."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if check_for_language(language) and request.user.is_authenticated:
        UserPreferences.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    return response
