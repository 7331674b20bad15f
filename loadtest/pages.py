"""Pages at 6 and 500 people against a trivial view, with wrk (`python3 loadtest/run.py pages`; docs/benchmarks.md).

Builds its own PostgreSQL database afresh (PAGES_DATABASE_URL, default
`teamplanner_pages`, dropped again at the end unless PAGES_KEEP=1) with two
teams: the demo team `marketing` (`seed_demo --force`: 6 members) and the L
benchmark team `bench-l` (`bench_workload --size L --keep`: 500 members,
5,000 tasks, 50,000 assignments), and a manager login managing both. Starts
gunicorn as run.py does (production settings, DEBUG off) with 3 sync workers
on 127.0.0.1, logs the manager in, and for each team runs
`wrk -t2 -c4 -d8s` against `/healthz`, the overview, the board (first page)
and the member page of the member with the most assignments. Before each
run every worker serves the page once (warm-up; gunicorn recycles workers
after about 2,000 requests), and the next run waits until the server has
finished the requests wrk abandoned at its end. /healthz runs before the
first page and after each page; prints each page's requests per second
divided by the mean of the /healthz runs on either side of it (same server,
same run), and the HTML size of one GET. Takes about 3 minutes.
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from run import ENV, PASSWORD, RESULTS, ROOT, manage, start_server

DATABASE = os.environ.get("PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/teamplanner_pages")
PORT = int(os.environ.get("PAGES_PORT", "8183"))
SECONDS = int(os.environ.get("PAGES_SECONDS", "8"))
WORKERS = 3
MANAGER = "pages-manager"
TEAMS = [("6-person", "marketing"), ("500-person", "bench-l")]
PAGE_NAMES = ["healthz", "overview", "board", "member page"]
PAGES_ENV = ENV | {"DATABASE_URL": DATABASE}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def database_command(command: str) -> list[str]:
    url = urllib.parse.urlparse(DATABASE)
    return [
        command,
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        *(["--if-exists", "--force"] if command == "dropdb" else []),
        url.path.lstrip("/"),
    ]


def prepare() -> dict:
    name = urllib.parse.urlparse(DATABASE).path.lstrip("/")
    print(f"[1/6] Creating the database {name} afresh…", flush=True)
    subprocess.run(database_command("dropdb"), check=True)
    subprocess.run(database_command("createdb"), check=True)
    print("[2/6] Migrating…", flush=True)
    manage("migrate", "--no-input", "--verbosity", "0", env=PAGES_ENV)
    print("[3/6] Seeding the 6-person demo team (seed_demo --force)…", flush=True)
    manage("seed_demo", "--force", env=PAGES_ENV)
    print("[4/6] Building the 500-person team (bench_workload --size L --keep; a minute or two)…", flush=True)
    manage("bench_workload", "--size", "L", "--runs", "1", "--keep", env=PAGES_ENV)
    print("[5/6] Collecting static files…", flush=True)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=PAGES_ENV)
    print(f"[6/6] The manager login {MANAGER} for both teams, and a member with work in each…", flush=True)
    script = f"""
import json
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from roles.models import Team, TeamMember
manager, _ = get_user_model().objects.get_or_create(username={MANAGER!r})
manager.set_password({PASSWORD!r}); manager.save()
members = {{}}
for slug in {[slug for _, slug in TEAMS]!r}:
    team = Team.objects.get(slug=slug)
    team.managers.add(manager)
    busiest = (
        TeamMember.objects.filter(team=team, is_active=True)
        .annotate(work=Count("assignments", filter=Q(assignments__task__is_active=True)))
        .order_by("-work", "pk")
        .first()
    )
    size = team.members.filter(is_active=True).count()
    members[slug] = {{"id": busiest.pk, "assignments": busiest.work, "size": size}}
print(json.dumps(members))
"""
    return json.loads(manage("shell", "-c", script, capture=True, env=PAGES_ENV).strip().splitlines()[-1])


def log_in(base: str) -> str:
    """The Cookie header of a logged-in manager session (GET the form, POST it with its CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = CSRF_INPUT.search(form).group(1)
    body = urllib.parse.urlencode({"username": MANAGER, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(f"{base}/accounts/login/", body.encode())
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("The manager could not log in (no session cookie).")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(url: str, cookie: str) -> tuple[int, int]:
    """One GET: status and body size in bytes (redirects not followed: a 302 to the login is a failure)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def wait_idle(port: int, limit: float = 60) -> None:
    """Wait until no connection to the server is open, so requests wrk gave up on (a closed connection the
    worker is still answering: CLOSE_WAIT) do not eat into the next measurement."""
    busy = {"01", "08"}  # ESTABLISHED, CLOSE_WAIT
    deadline = time.time() + limit
    while time.time() < deadline:
        lines = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            if os.path.exists(table):
                with open(table) as file:
                    lines += file.read().splitlines()[1:]
        if not any(int(line.split()[1].rsplit(":", 1)[1], 16) == port and line.split()[3] in busy for line in lines):
            return
        time.sleep(0.1)


def wrk(url: str, cookie: str) -> dict:
    """wrk -t2 -c4 -d8s with the session cookie; requests/s and anything that went wrong."""
    command = ["wrk", "-t2", "-c4", f"-d{SECONDS}s", "--timeout", "30s", "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=SECONDS + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": rate,
        "requests": requests,
        "latency": latency,
        "problems": ", ".join(
            part
            for part in [
                f"{non_2xx.group(1)} non-2xx/3xx" if non_2xx else "",
                f"socket errors: {socket_errors.group(1)}" if socket_errors else "",
            ]
            if part
        ),
    }


def run_page(base: str, path: str, cookie: str) -> dict:
    """Warm every worker up on the page, then wrk on it; its status and size come from the warm-up."""
    # One GET per worker at once (an idle sync worker takes one each): every worker has served the page
    # before wrk starts, also after gunicorn recycled it (max_requests).
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(fetch, [base + path] * WORKERS, [cookie] * WORKERS))
    wait_idle(PORT)
    measured = wrk(base + path, cookie)
    wait_idle(PORT)
    status = next((status for status, _ in answers if status != 200), 200)
    return measured | {"status": status, "kb": answers[0][1] / 1024, "path": path}


def measure(base: str, cookie: str, members: dict) -> dict:
    """Per team: /healthz, then each page followed by /healthz again; a page's ratio divides its rate by the
    mean of the /healthz runs just before and just after it (the machine may be busy with other work)."""
    results = {}

    def show(column: str, page: str, measured: dict) -> None:
        note = f"  ({measured['problems']})" if measured["problems"] else ""
        status = f"  HTTP {measured['status']}!" if measured["status"] != 200 else ""
        print(
            f"  {column:<10} {page:<12} {measured['rate']:>8.1f} req/s {measured['requests']:>6} requests"
            f"  mean latency {measured['latency']:>8}  {measured['kb']:>7.1f} KB  {measured['path']}{note}{status}",
            flush=True,
        )

    for column, slug in TEAMS:
        pages = {
            "overview": f"/teams/{slug}/",
            "board": f"/teams/{slug}/board/",
            "member page": f"/members/{members[slug]['id']}/",
        }
        before = run_page(base, "/healthz", cookie)
        show(column, "healthz", before)
        trivial = [before]
        for page, path in pages.items():
            measured = run_page(base, path, cookie)
            show(column, page, measured)
            after = run_page(base, "/healthz", cookie)
            show(column, "healthz", after)
            trivial.append(after)
            results[column, page] = measured | {"ratio": measured["rate"] / ((before["rate"] + after["rate"]) / 2)}
            before = after
        rates = [run["rate"] for run in trivial]
        results[column, "healthz"] = trivial[0] | {
            "rate": sum(rates) / len(rates),
            "ratio": 1.0,
            "status": next((run["status"] for run in trivial if run["status"] != 200), 200),
            "problems": "; ".join(run["problems"] for run in trivial if run["problems"]),
            "range": (min(rates), max(rates)),
        }
    return results


def print_table(results: dict, members: dict) -> None:
    print()
    print("Requests per second as a multiple of /healthz's (same server, same run); HTML size of one GET")
    header = "".join(f" | {column + ' ratio':>16}" for column, _ in TEAMS)
    sizes = "".join(f" | {column + ' KB':>13}" for column, _ in TEAMS)
    print(f"{'page':<12}{header}{sizes}")
    for page in PAGE_NAMES:
        ratios = "".join(f" | {results[column, page]['ratio']:>16.4f}" for column, _ in TEAMS)
        kbs = "".join(f" | {results[column, page]['kb']:>13.1f}" for column, _ in TEAMS)
        print(f"{page:<12}{ratios}{kbs}")
    for column, _ in TEAMS:
        low, high = results[column, "healthz"]["range"]
        print(
            f"{column}: /healthz {results[column, 'healthz']['rate']:.1f} req/s (mean of 4 runs, {low:.1f}-{high:.1f})"
        )
    print(
        "members: "
        + ", ".join(
            f"{slug} {data['size']} (member page: #{data['id']}, {data['assignments']} assignments)"
            for slug, data in members.items()
        )
    )
    print("wrk counts finished requests only: a page with under ~20 requests in its run is a coarse figure.")
    failures = [(key, value) for key, value in results.items() if value["status"] != 200 or value["problems"]]
    for (column, page), value in failures:
        print(f"WARNING: {column} {page} ({value['path']}): HTTP {value['status']} {value['problems']}")


def main() -> None:
    if shutil.which("wrk") is None:
        print("wrk is not installed; install it with: apt-get install wrk")
        raise SystemExit(2)
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"Port {PORT} is already taken on 127.0.0.1 (PAGES_PORT chooses another).")
    RESULTS.mkdir(parents=True, exist_ok=True)
    began = time.time()
    members = prepare()
    print(f"Database ready in {time.time() - began:.0f} s. Starting gunicorn ({WORKERS} sync workers)…", flush=True)
    server = start_server(env=PAGES_ENV, port=PORT, workers=WORKERS, log="pages-gunicorn.log")
    try:
        base = f"http://127.0.0.1:{PORT}"
        cookie = log_in(base)
        print(f"Logged in as {MANAGER}. wrk -t2 -c4 -d{SECONDS}s on each page ({ROOT}):", flush=True)
        print_table(measure(base, cookie, members), members)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if os.environ.get("PAGES_KEEP") != "1":
            subprocess.run(database_command("dropdb"), check=False)
    print(f"Done in {time.time() - began:.0f} s.")
