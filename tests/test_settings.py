"""Settings read from the environment: one prefix per family, and a renamed variable fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_with(**environment: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with these variables set."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "TEAMPLANNER_"))}
    env |= environment
    code = "import teamplanner.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_tls_proxy_setting_trusts_the_forwarded_proto_header():
    assert settings_with(TEAMPLANNER_BEHIND_TLS_PROXY="1").stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert settings_with().stdout.strip() == "None"


def test_old_tls_proxy_variable_name_refuses_to_start_and_names_the_new_one():
    result = settings_with(DJANGO_BEHIND_TLS_PROXY="1")
    assert result.returncode != 0
    assert "DJANGO_BEHIND_TLS_PROXY is now TEAMPLANNER_BEHIND_TLS_PROXY." in result.stderr
