"""Another instance of the app, for tests/test_report_cache.py: reads team reports through the shared cache.

Usage: DATABASE_URL=... REDIS_URL=... python tests/scripts/report_reader.py
Reads one line per request, "SLUG START WEEKS", and answers with the workload document as one JSON line;
"quit" ends it.
"""

import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamplanner.settings")

import django

django.setup()

from assignments.document import workload_document  # noqa: E402
from assignments.report import team_report  # noqa: E402
from roles.models import Team  # noqa: E402

for line in sys.stdin:
    if line.strip() == "quit":
        break
    slug, start, weeks = line.split()
    report = team_report(team=Team.objects.get(slug=slug), start=datetime.date.fromisoformat(start), weeks=int(weeks))
    print(json.dumps(workload_document(report)), flush=True)
