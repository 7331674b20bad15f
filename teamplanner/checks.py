"""Production refuses to start with settings that are only safe on a developer's machine."""

from django.conf import settings
from django.core.checks import Error, Tags, register


def production_problems() -> list[str]:
    problems = []
    if settings.DEBUG:
        problems.append("DJANGO_DEBUG is on: set DJANGO_DEBUG=0.")
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 50:
        problems.append("DJANGO_SECRET_KEY is the development default or too short: set 50+ random characters.")
    return problems


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    return [Error(problem, id="teamplanner.E001") for problem in production_problems()]
