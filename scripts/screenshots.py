"""Screenshots of every page at desktop and phone widths, into docs/screenshots/.

Runs the app on a throw-away SQLite database seeded with the demo team, drives
Debian's Chromium with Playwright, and stops the server again:

    .venv/bin/python scripts/screenshots.py            # or: make screenshots
    .venv/bin/python scripts/screenshots.py NAME ...   # only these (the names of ALONE)

Needs the chromium package (apt-get install chromium); CHROMIUM overrides its path.
SCREENSHOTS_DIR writes them elsewhere (to look at them before replacing the committed ones).
The pages are shot as seeded; then the manager makes a few changes, for the activity page.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "docs" / "screenshots")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not start on port {port}")


def shown(target: Path) -> Path:
    """The screenshot's path as printed: from the repository's root when it is inside it."""
    return target.relative_to(ROOT) if target.is_relative_to(ROOT) else target


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(browser, base: str, username: str | None, password: str | None, pages: list[tuple[str, str]], language: str):
    for size_name, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
        )
        page = context.new_page()
        if username:
            log_in(page, base, username, password)
        for name, path in pages:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = OUT / f"{name}-{size_name}{'' if language == 'en' else '-' + language}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"  {shown(target)}")
        context.close()


def shoot_assign(browser, base: str, task_id: int, language: str):
    """A board card's "Assign someone": the ranked people (loaded into the card with htmx), then the
    preview of choosing the first of them. The board shows its "not fully assigned" tasks only, so the
    card and the load panel fit one page."""
    for size_name, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
        )
        page = context.new_page()
        log_in(page, base, "manager", "teamplanner-manager")
        page.goto(f"{base}/teams/marketing/board/?unassigned=on")
        card = page.locator(f"#task-{task_id}")
        card.locator(".assign__suggest a").click()
        card.locator(".suggestion").first.wait_for()
        suffix = f"{size_name}{'' if language == 'en' else '-' + language}"
        for name, ready in [("board-suggestions", None), ("board-preview", ".preview__title")]:
            if ready:
                card.locator(".suggestion input").first.check()
                card.locator(ready).wait_for()
            page.wait_for_load_state("networkidle")
            card.scroll_into_view_if_needed()
            target = OUT / f"{name}-{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"  {shown(target)}")
        context.close()


def shoot_calendar_panel(browser, base: str, language: str):
    """My duties' "Add to calendar": the member asks for the address (htmx swaps the panel), then the panel
    alone, with the address and the link for calendar apps."""
    for size_name, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
        )
        page = context.new_page()
        log_in(page, base, "rina", "teamplanner-member")
        page.goto(f"{base}/me/")
        panel = page.locator("#calendar-feed")
        if not panel.locator("textarea").count():  # the first address (a replacement would ask first)
            panel.locator("button[type=submit]").click()
        panel.locator("textarea").wait_for()
        page.wait_for_load_state("networkidle")
        target = OUT / f"my-duties-calendar-{size_name}{'' if language == 'en' else '-' + language}.png"
        page.locator("#calendar-feed").screenshot(path=str(target))
        print(f"  {shown(target)}")
        context.close()


def make_changes(browser, base: str, shares: list[tuple[int, int, int]]) -> None:
    """What the activity page shows besides the demo's import: the manager lowers two shares on the board
    (``shares``: assignment id, task id, the new share), then reverts the second from the activity page."""
    context = browser.new_context(viewport=SIZES["desktop"], locale="en")
    page = context.new_page()
    log_in(page, base, "manager", "teamplanner-manager")
    for assignment_id, task_id, share in shares:
        page.goto(f"{base}/teams/marketing/board/?task={task_id}")  # sends on to the card's page
        share_form = page.locator("form").filter(has=page.locator(f"#id_share-{assignment_id}-share_percent"))
        share_form.locator("input[type=number]").fill(str(share))
        with page.expect_response(lambda response: response.request.method == "POST") as response:
            share_form.locator("button[type=submit]").click()
        if not response.value.ok:
            raise SystemExit(f"changing the share of assignment {assignment_id} failed: {response.value.status}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{base}/teams/marketing/activity/")
    newest = page.locator(".activity-entry").first
    newest.locator(".activity-entry__revert button").click()
    outcome = newest.locator(".activity-entry__outcome > *")
    outcome.wait_for()
    if "activity-outcome--done" not in (outcome.get_attribute("class") or ""):
        raise SystemExit(f"the revert was refused: {outcome.inner_text()}")
    context.close()


def demo_paths() -> dict[str, object]:
    """The demo's ids the pages need (Django set up on the demo database first)."""
    from assignments.models import Assignment, Task
    from roles.models import TeamMember, TimeOff

    demo_raci()
    # Sari's leave: Rina covers one of her duties, the others wait for a substitute
    sari_off = TimeOff.objects.filter(member__email="sari@example.com").order_by("start_date").first()
    return {
        "rina": TeamMember.objects.get(email="rina@example.com").pk,
        "budi": TeamMember.objects.get(email="budi@example.com").pk,  # over capacity in a demo week
        "cover": f"/teams/marketing/members/{sari_off.member_id}/cover/?time_off={sari_off.pk}",
        # a strategic task nobody has taken yet (the demo's "Content pillars review")
        "unassigned": Task.objects.filter(
            team__slug="marketing", is_active=True, role__focus="strategic", assignments=None
        )
        .order_by("title")
        .first()
        .pk,
        # shares lowered for the activity page: Dewi's half of "Schedule Instagram posts", Budi's 60 % of
        # "Shoot product videos" (the only assignments of theirs that are not 100 %)
        "shares": [
            (assignment.pk, assignment.task_id, assignment.share_percent - 10)
            for assignment in (
                Assignment.objects.get(member__email="dewi@example.com", share_percent=50),
                Assignment.objects.get(member__email="budi@example.com", share_percent=60),
            )
        ],
    }


def digest_html(language: str) -> str:
    """Rina's weekly digest (notifications/), its HTML part: this week's, in ``language``. Read before the
    browser starts (Playwright's loop makes Django refuse database queries)."""
    import dataclasses

    from django.utils import timezone

    from notifications.digests import digest_week, members_by_team, team_digests
    from notifications.mail import digest_message

    monday = digest_week(timezone.now())
    members = next(team for team in members_by_team() if team[0].team.slug == "marketing")
    digests = team_digests(team=members[0].team, members=members, monday=monday)
    digest = next(found for found in digests if found.recipient == "rina@example.com")
    return digest_message(dataclasses.replace(digest, language=language)).alternatives[0][0]


def shoot_digest(browser, html: str, language: str) -> None:
    """The digest as a mail client shows its HTML part."""
    page = browser.new_page(viewport={"width": 800, "height": 900})
    page.set_content(html)
    target = OUT / f"digest-email{'' if language == 'en' else '-' + language}.png"
    page.screenshot(path=str(target), full_page=True)
    print(f"  {shown(target)}")
    page.close()


def shoot_preferences(browser, base: str, ids: dict[str, object] | None = None) -> None:
    """Rina's Notifications page (which emails reach her), at desktop width in both languages."""
    for language in ("en", "id"):
        context = browser.new_context(
            viewport=SIZES["desktop"], locale=language, extra_http_headers={"Accept-Language": language}
        )
        page = context.new_page()
        log_in(page, base, "rina", "teamplanner-member")
        page.goto(f"{base}/accounts/notifications/")
        page.wait_for_load_state("networkidle")
        target = OUT / f"notification-preferences-desktop{'' if language == 'en' else '-' + language}.png"
        page.screenshot(path=str(target), full_page=True)
        print(f"  {shown(target)}")
        context.close()


def demo_raci() -> None:
    """Letters for the RACI page while the demo plan has none (Django set up, before the browser starts). Written
    without history (an update, a bulk insert) so the activity page shows the demo as seeded; RACI's flags stay
    off, so the other pages are as seeded too."""
    from assignments.models import Task, TaskInvolvement
    from roles.models import TeamMember

    tasks = Task.objects.filter(team__slug="marketing", is_active=True)
    if tasks.filter(accountable__isnull=False).exists() or TaskInvolvement.objects.filter(task__in=tasks).exists():
        return
    people = {member.email.partition("@")[0]: member for member in TeamMember.objects.filter(team__slug="marketing")}
    accountable = {
        "rina": ["2027 social strategy and KPIs", "Harbolnas 12.12 campaign plan", "Competitor and audience research"],
        "andi": ["Monthly performance report", "Facebook and Instagram ad management", "Weekly ads report"],
        "sari": ["Reply to comments and DMs", "Schedule Instagram posts", "Monitor competitor accounts"],
        "budi": ["Shoot product videos", "Edit short-form videos", "Product launch photo shoot"],
        "maya": ["Design carousel graphics", "Instagram Stories design"],
    }
    for name, titles in accountable.items():
        tasks.filter(title__in=titles).update(accountable=people[name])
    involved = [
        ("Harbolnas 12.12 campaign plan", "andi", "consulted"),
        ("Harbolnas 12.12 campaign plan", "budi", "consulted"),
        ("Harbolnas 12.12 campaign plan", "sari", "informed"),
        ("2027 social strategy and KPIs", "andi", "consulted"),
        ("2027 social strategy and KPIs", "maya", "informed"),
        ("Content pillars review", "budi", "consulted"),
        ("Weekly ads report", "rina", "informed"),
        ("Reply to comments and DMs", "dewi", "consulted"),
        ("Product launch photo shoot", "maya", "consulted"),
    ]
    by_title = {task.title: task for task in tasks}
    TaskInvolvement.objects.bulk_create(
        TaskInvolvement(task=by_title[title], member=people[name], kind=kind) for title, name, kind in involved
    )


def shoot_raci(browser, base: str, ids: dict[str, object] | None = None) -> None:
    """The RACI page (its letters: the demo's, or ``demo_raci``'s), in both languages."""
    for language in ("en", "id"):
        shoot(browser, base, "manager", "teamplanner-manager", [("raci", "/teams/marketing/raci/")], language)


# Shots that can be taken on their own (``scripts/screenshots.py NAME``), without retaking every page.
ALONE = {"notification-preferences": shoot_preferences, "raci": shoot_raci}


def shoot_all(browser, base: str, ids: dict[str, object]) -> None:
    manager_pages = [
        ("overview", "/teams/marketing/"),
        ("board", "/teams/marketing/board/"),
        ("member", f"/members/{ids['rina']}/"),
        ("roles", "/roles/"),
        ("team-members", "/teams/marketing/members/"),
        ("fix-hand-over", f"/teams/marketing/fix/members/{ids['budi']}/hand-over/?flag=over_allocated"),
        ("fix-role", "/teams/marketing/fix/roles/"),
        ("arrange-cover", ids["cover"]),
    ]
    shoot(browser, base, None, None, [("login", "/accounts/login/")], "en")
    shoot(browser, base, "manager", "teamplanner-manager", manager_pages, "en")
    shoot(browser, base, "admin", "teamplanner-admin", [("teams", "/teams/")], "en")
    shoot(browser, base, "rina", "teamplanner-member", [("my-duties", "/me/")], "en")
    # Indonesian, from the browser's language (Accept-Language)
    indonesian = [("overview", "/teams/marketing/"), ("arrange-cover", ids["cover"])]
    shoot(browser, base, "manager", "teamplanner-manager", indonesian, "id")
    shoot(browser, base, "rina", "teamplanner-member", [("my-duties", "/me/")], "id")
    shoot_assign(browser, base, ids["unassigned"], "en")
    shoot_assign(browser, base, ids["unassigned"], "id")
    for language in ("en", "id"):  # after My duties' own shots, which show the panel before an address exists
        shoot_calendar_panel(browser, base, language)
        shoot_digest(browser, ids["digests"][language], language)
    # last, so the pages above show the plan as seeded; the activity page shows the changes, a revert of
    # one of them and the demo's import folded into one line
    shoot_preferences(browser, base)
    shoot_raci(browser, base)
    make_changes(browser, base, ids["shares"])
    for language in ("en", "id"):
        shoot(browser, base, "manager", "teamplanner-manager", [("activity", "/teams/marketing/activity/")], language)


def main() -> None:
    only = sys.argv[1:]
    if set(only) - set(ALONE):
        raise SystemExit(f"unknown screenshots: {' '.join(sorted(set(only) - set(ALONE)))}; alone: {' '.join(ALONE)}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp}/screens.sqlite3", DJANGO_DEBUG="1")
        print("Preparing a demo database…")
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port)
            sys.path.insert(0, str(ROOT))
            os.environ.update(env)
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamplanner.settings")
            import django

            django.setup()
            ids = demo_paths() | {"digests": {language: digest_html(language) for language in ("en", "id")}}
            print("Taking screenshots…")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name in only:
                    ALONE[name](browser, f"http://127.0.0.1:{port}", ids)
                if not only:
                    shoot_all(browser, f"http://127.0.0.1:{port}", ids)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
