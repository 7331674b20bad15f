"""Load and fault runs against gunicorn + PostgreSQL on 127.0.0.1 (docs/reliability.md).

    python3 loadtest/run.py steady     # (a) the mixed load, steady
    python3 loadtest/run.py restart    # (b) the same, PostgreSQL restarted in the middle
    python3 loadtest/run.py ratio      # overview throughput against a trivial view's, same server
    python3 loadtest/run.py pages      # pages at 6 and 500 people against /healthz, with wrk (loadtest/pages.py)

Each run is bounded (LOAD_SECONDS, default 60) and only talks to 127.0.0.1. It
prepares the database `teamplanner_load` with the L benchmark team (500
members, 5,000 tasks, 50,000 assignments) and load logins, starts gunicorn
with production settings (DEBUG off; secure cookies off because loopback has
no TLS), runs locust headless, and checks afterwards: every write that got a
success response is in the database, and (restart run) every error falls in
the restart window. Needs the project's .venv and loadtest/requirements.txt
(installed into loadtest/.venv on first use).

`pages` (loadtest/pages.py, docs/benchmarks.md) builds its own database
`teamplanner_pages` afresh with the 6-person demo team and the L team, starts
gunicorn with 3 sync workers and measures each page's throughput with wrk
(`apt-get install wrk`) as a multiple of /healthz's, plus its HTML size.
"""

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "loadtest" / "results"
PYTHON = ROOT / ".venv" / "bin" / "python"
LOCUST_VENV = ROOT / "loadtest" / ".venv"
DATABASE = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/teamplanner_load")
PORT = int(os.environ.get("LOAD_PORT", "8181"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
USERS = int(os.environ.get("LOAD_USERS", "20"))
PASSWORD = "load-test-" + "x" * 8
ENV = dict(
    os.environ,
    DATABASE_URL=DATABASE,
    DJANGO_DEBUG="0",
    DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
    DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    DJANGO_SECURE_SSL_REDIRECT="0",
    DJANGO_SECURE_COOKIES="0",
    DJANGO_LOG_LEVEL="WARNING",
    TEAMPLANNER_LOGIN_FAILURE_LIMIT="1000",
)


def manage(*args: str, capture: bool = False, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env or ENV, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def prepare() -> dict:
    print("Preparing the database (the L data set is built once)…", flush=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "teamplanner_load"], capture_output=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    manage("bench_workload", "--size", "L", "--runs", "1", "--keep")
    manage("collectstatic", "--no-input", "--verbosity", "0")
    script = f"""
import json
from django.contrib.auth import get_user_model
from roles.models import Team, TeamMember
from assignments.models import Task
User = get_user_model()
team = Team.objects.get(slug="bench-l")
manager, _ = User.objects.get_or_create(username="load-manager")
manager.set_password({PASSWORD!r}); manager.save()
team.managers.add(manager)
members = list(TeamMember.objects.filter(team=team).order_by("pk")[:20])
names = []
for number, member in enumerate(members[:10]):
    user, _ = User.objects.get_or_create(username=f"load-member-{{number}}")
    user.set_password({PASSWORD!r}); user.save()
    TeamMember.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
    member.user = user; member.save(update_fields=["user"])
    names.append(user.username)
tasks = list(Task.objects.filter(team=team, is_active=True).order_by("pk").values_list("pk", flat=True)[:200])
print(json.dumps({{"members": names, "member_ids": [m.pk for m in members], "task_ids": tasks}}))
"""
    return json.loads(manage("shell", "-c", script, capture=True).strip().splitlines()[-1])


def start_server(env: dict | None = None, port: int = PORT, workers: int = 4, log: str = "gunicorn.log"):
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "teamplanner.wsgi", "-c", "teamplanner/gunicorn.conf.py"],
        cwd=ROOT,
        env=(env or ENV) | {"TEAMPLANNER_BIND": f"127.0.0.1:{port}", "TEAMPLANNER_WORKERS": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / log, "w"),  # noqa: SIM115 - the server outlives this function
    )
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {RESULTS / log}")
        try:
            subprocess.run(["curl", "-sf", f"http://127.0.0.1:{port}/healthz"], check=True, capture_output=True)
            return server
        except subprocess.CalledProcessError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not become healthy")


def locust(name: str, data: dict, seconds: int, users: int, only: str | None = None) -> subprocess.Popen:
    env = ENV | {
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_MEMBERS": ",".join(data["members"]),
        "LOAD_MEMBER_IDS": ",".join(map(str, data["member_ids"])),
        "LOAD_TASK_IDS": ",".join(map(str, data["task_ids"])),
        "LOAD_JOURNAL": str(RESULTS / f"{name}-journal.jsonl"),
    }
    if only:
        env["LOAD_ONLY"] = only
    (RESULTS / f"{name}-journal.jsonl").unlink(missing_ok=True)
    return subprocess.Popen(
        [
            str(LOCUST_VENV / "bin" / "locust"),
            "-f",
            "loadtest/locustfile.py",
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "-u",
            str(users),
            "-r",
            str(max(users // 4, 1)),
            "--run-time",
            f"{seconds}s",
            "--csv",
            str(RESULTS / name),
            "--only-summary",
            "--stop-timeout",
            "5",
            *(["Throughput"] if only else ["Manager", "Member"]),
        ],
        cwd=ROOT,
        env=env,
        stdout=open(RESULTS / f"{name}-locust.log", "w"),
        stderr=subprocess.STDOUT,
    )


def summary(name: str) -> list[dict]:
    with open(RESULTS / f"{name}_stats.csv") as file:
        return list(csv.DictReader(file))


def print_summary(name: str) -> None:
    print(f"{'endpoint':<18} {'requests':>8} {'fails':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in summary(name):
        print(
            f"{row['Name']:<18} {row['Request Count']:>8} {row['Failure Count']:>6} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )


def verify_journal(name: str) -> tuple[int, int]:
    """Every journaled success (time off with its unique reason) must be in the database."""
    entries = [json.loads(line) for line in (RESULTS / f"{name}-journal.jsonl").read_text().splitlines() if line]
    reasons = [entry["reason"] for entry in entries if entry["kind"] == "time_off"]
    script = f"""
from roles.models import TimeOff
wanted = {reasons!r}
print(TimeOff.objects.filter(reason__in=wanted).count())
"""
    found = int(manage("shell", "-c", script, capture=True).strip().splitlines()[-1]) if reasons else 0
    return len(reasons), found


def main(mode: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not (LOCUST_VENV / "bin" / "locust").exists():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
        subprocess.run(
            [str(LOCUST_VENV / "bin" / "pip"), "install", "-q", "-r", "loadtest/requirements.txt"], cwd=ROOT, check=True
        )
    data = prepare()
    server = start_server()
    try:
        if mode == "ratio":
            for only in ["overview", "healthz"]:
                locust(f"ratio-{only}", data, min(SECONDS, 30), 8, only=only).wait()
            overview = next(r for r in summary("ratio-overview") if r["Name"] == "overview")
            trivial = next(r for r in summary("ratio-healthz") if r["Name"] == "healthz")
            print_summary("ratio-overview")
            print_summary("ratio-healthz")
            ratio = float(overview["Requests/s"]) / float(trivial["Requests/s"])
            print(f"overview throughput / trivial view throughput = {ratio:.3f}")
            return
        run = locust(mode, data, SECONDS, USERS)
        window = None
        if mode == "restart":
            time.sleep(SECONDS / 2)
            cluster = sorted(os.listdir("/etc/postgresql"))[-1]
            began = time.time()
            print(f"Restarting PostgreSQL {cluster} at t={SECONDS / 2:.0f}s…", flush=True)
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
            window = (began, time.time())
            print(f"PostgreSQL was restarting for {window[1] - window[0]:.1f}s", flush=True)
        run.wait()
        print_summary(mode)
        errors = (
            json.loads((RESULTS / f"{mode}-errors.jsonl").read_text())
            if (RESULTS / f"{mode}-errors.jsonl").exists()
            else []
        )
        outside = [error for error in errors if not window or not (window[0] - 1 <= error[0] <= window[1] + 5)]
        written, found = verify_journal(mode)
        print(f"errors (5xx or connection): {len(errors)}, outside the restart window: {len(outside)}")
        print(f"writes acknowledged: {written}, found in the database: {found}")
        if outside or found != written:
            raise SystemExit("FAILED: errors outside the restart window or lost writes")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in {"steady", "restart", "ratio", "pages"}:
        raise SystemExit(__doc__)
    if sys.argv[1] == "pages":
        from pages import main as pages  # loadtest/ is on the path: it holds this script

        pages()
    else:
        main(sys.argv[1])
