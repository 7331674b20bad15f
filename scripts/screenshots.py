"""Screenshots of every page at desktop and phone widths, into docs/screenshots/.

Runs the app on a throw-away SQLite database seeded with the demo team, drives
Debian's Chromium with Playwright, and stops the server again:

    .venv/bin/python scripts/screenshots.py            # or: make screenshots

Needs the chromium package (apt-get install chromium); CHROMIUM overrides its path.
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
OUT = ROOT / "docs" / "screenshots"
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


def shoot(browser, base: str, username: str | None, password: str | None, pages: list[tuple[str, str]], language: str):
    for size_name, viewport in SIZES.items():
        context = browser.new_context(
            viewport=viewport, locale=language, extra_http_headers={"Accept-Language": language}
        )
        page = context.new_page()
        if username:
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("#main form button[type=submit]")
            page.wait_for_load_state("networkidle")
        for name, path in pages:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            target = OUT / f"{name}-{size_name}{'' if language == 'en' else '-' + language}.png"
            page.screenshot(path=str(target), full_page=True)
            print(f"  {target.relative_to(ROOT)}")
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
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "manager")
        page.fill("#id_password", "teamplanner-manager")
        page.click("#main form button[type=submit]")
        page.wait_for_load_state("networkidle")
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
            print(f"  {target.relative_to(ROOT)}")
        context.close()


def demo_paths() -> dict[str, object]:
    """The demo's ids the pages need (Django set up on the demo database first)."""
    from assignments.models import Task
    from roles.models import TeamMember, TimeOff

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
    }


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


def main() -> None:
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
            ids = demo_paths()
            print("Taking screenshots…")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                shoot_all(browser, f"http://127.0.0.1:{port}", ids)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
