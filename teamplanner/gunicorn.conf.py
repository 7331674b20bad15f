"""gunicorn settings for `make serve`; every value can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("TEAMPLANNER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TEAMPLANNER_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("TEAMPLANNER_THREADS", "1"))
timeout = int(os.environ.get("TEAMPLANNER_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then, with jitter so they do not all restart at once
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("TEAMPLANNER_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to serve with development settings (DEBUG on, the default or a short secret key)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamplanner.settings")
    import django

    django.setup()
    from teamplanner.checks import production_problems

    problems = production_problems()
    if problems:
        raise SystemExit("Teamplanner will not start in production like this:\n  " + "\n  ".join(problems))
