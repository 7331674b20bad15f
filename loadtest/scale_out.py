"""Two gunicorn instances, one PostgreSQL: a user logged in on one is served by the other.

    python3 loadtest/scale_out.py

Starts the app twice on 127.0.0.1 (two ports, each with its own workers and
its own empty temporary directory as working state), logs in on instance A,
then reads pages and makes a write through instance B and back through A with
the same session cookie. It works because nothing lives in a process or on a
local disk: sessions, login throttling and data are in the database, static
files are read-only and hashed. Bounded and loopback only.
"""

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/teamplanner_scale")
PORTS = (8191, 8192)
ENV = dict(
    os.environ,
    DATABASE_URL=DATABASE,
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY=secrets.token_urlsafe(64),  # one key shared by both instances, as in production
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_SECURE_COOKIES="0",
    DJANGO_LOG_LEVEL="WARNING",
)
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def start(port: int, workdir: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--chdir",
            str(ROOT),
            "teamplanner.wsgi",
            "-c",
            str(ROOT / "teamplanner" / "gunicorn.conf.py"),
        ],
        cwd=workdir,
        env=ENV | {"TEAMPLANNER_BIND": f"127.0.0.1:{port}", "TEAMPLANNER_WORKERS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"instance on port {port} did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "teamplanner_scale"], capture_output=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    manage("collectstatic", "--no-input", "--verbosity", "0")
    manage("seed_demo", "--force")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with tempfile.TemporaryDirectory() as dir_a, tempfile.TemporaryDirectory() as dir_b:
        instances = [start(PORTS[0], dir_a), start(PORTS[1], dir_b)]
        try:
            a, b = (f"http://127.0.0.1:{port}" for port in PORTS)

            def get(base: str, path: str) -> tuple[int, str]:
                try:
                    with opener.open(base + path, timeout=10) as response:
                        return response.status, response.read().decode()
                except urllib.error.HTTPError as error:
                    return error.code, error.read().decode()

            def post(base: str, path: str, data: dict, token: str) -> int:
                request = urllib.request.Request(
                    base + path, data=urllib.parse.urlencode(data).encode(), headers={"X-CSRFToken": token}
                )
                try:
                    with opener.open(request, timeout=10) as response:
                        return response.status
                except urllib.error.HTTPError as error:
                    return error.code

            status, login_page = get(a, "/accounts/login/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
            status = post(a, "/accounts/login/", {"username": "manager", "password": "teamplanner-manager"}, token)
            print(f"A {a}: log in as manager -> {status}")
            status, page = get(b, "/teams/marketing/")
            print(f"B {b}: team overview with A's session -> {status}, logged in: {'Log out' in page}")
            token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
            member = re.search(r"/members/(\d+)/", page).group(1)
            reason = f"scale-out check {secrets.token_hex(4)}"
            status = post(
                b,
                f"/members/{member}/time-off/",
                {"off-start_date": "2027-03-01", "off-end_date": "2027-03-02", "off-reason": reason},
                token,
            )
            print(f"B: record time off -> {status}")
            status, page = get(a, f"/members/{member}/")
            print(f"A: member page shows B's write -> {status}, found: {reason in page}")
            ok = reason in page and "Log out" in page
            print("stateless: a user is served by either instance" if ok else "FAILED")
            if not ok:
                raise SystemExit(1)
        finally:
            for instance in instances:
                instance.terminate()
                instance.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
