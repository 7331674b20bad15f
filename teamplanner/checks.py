"""Production refuses to start with settings that are only safe on a developer's machine."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def check_mail_settings(app_configs, **kwargs):
    """Without a mail server the weekly digests go nowhere: a warning, since a site may run without mail."""
    if settings.DEBUG or settings.EMAIL_HOST:
        return []
    return [
        Warning(
            "DJANGO_EMAIL_HOST is not set: notifications (the weekly digests) cannot be sent.",
            hint="Set DJANGO_EMAIL_HOST (and DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER, DJANGO_EMAIL_HOST_PASSWORD,"
            ' DJANGO_EMAIL_USE_TLS, DJANGO_DEFAULT_FROM_EMAIL): see README, "Mail".',
            id="teamplanner.W001",
        )
    ]
