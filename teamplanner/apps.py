from django.apps import AppConfig


class TeamplannerConfig(AppConfig):
    name = "teamplanner"
    verbose_name = "Teamplanner"

    def ready(self):
        from . import checks, language, sessions  # noqa: F401  (registers the deploy check and the login signals)
