"""WSGI entry point (gunicorn teamplanner.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamplanner.settings")

application = get_wsgi_application()
