"""English and Bahasa Indonesia: complete catalogs, pages without leftover English, the switcher, local numbers."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assignments.calendars import monday_of
from assignments.models import DualRoleAcknowledgement, Task
from roles.models import Role, UserPreferences
from tests.factories import make_assignment, make_holding, make_member, make_role, make_task, make_team, make_user

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["en", "id"]
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*[sdif]|%%")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LOCALES)
def test_compiled_catalog_matches_its_source(language):
    """The committed .mo is the .po compiled (a fresh machine needs no gettext tools): no stale .mo."""
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0, "")
        for entry in catalog(language)
        if not entry.obsolete and not entry.fuzzy
    }
    compiled = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled_entries = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0, "") for entry in compiled
    }
    translated = {key: value for key, value in source.items() if value}
    assert {key: compiled_entries.get(key) for key in translated} == translated, "run: manage.py compilemessages"


def test_indonesian_catalog_is_complete_and_keeps_every_placeholder():
    po = catalog("id")
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po:
        for source, translation in [(entry.msgid, entry.msgstr or entry.msgstr_plural.get(0, ""))]:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), entry.msgid


def test_indonesian_uses_the_established_terms():
    translations = {entry.msgid: entry.msgstr for entry in catalog("id")}
    assert "beban kerja" in translations["Workload, next weeks"].lower()
    assert "tanggung jawab" in translations["Roles and responsibilities"].lower()


class TextNodes(HTMLParser):
    """Visible text of a page, one string per text node or labelling attribute."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "title"}:
            self.skip += 1
        for name, value in attrs:
            if name in {"aria-label", "placeholder", "title", "alt"} and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in {"script", "style", "title"}:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(" ".join(data.split()))


def english_ui_strings() -> set[str]:
    """UI strings whose Indonesian differs from the English: none of these may show on an Indonesian page.

    (Minus words that are Indonesian too: "Filter" is the Indonesian for "Filters".)
    """
    entries = list(catalog("id"))
    indonesian = {entry.msgstr for entry in entries}
    return {
        entry.msgid
        for entry in entries
        if not PLACEHOLDER.search(entry.msgid) and entry.msgstr and entry.msgstr != entry.msgid
    } - indonesian


@pytest.fixture
def demo(db, client):
    call_command("seed_demo", "--language", "id", "--force", stdout=StringIO())
    return client


PAGES = {
    "overview": ("manager", lambda: reverse("assignments:team_overview", args=["marketing"])),
    "board": ("manager", lambda: reverse("assignments:team_board", args=["marketing"])),
    "member": ("manager", lambda: reverse("assignments:member", args=[1])),
    "roles": ("manager", lambda: reverse("roles:catalog")),
    "my duties": ("rina", lambda: reverse("assignments:my_duties")),
    "activity": ("manager", lambda: reverse("activity:team_activity", args=["marketing"])),
    "login": (None, lambda: reverse("login")),
}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_in_indonesian_has_no_english_ui_text(demo, page):
    from django.contrib.auth import get_user_model

    username, url = PAGES[page]
    if username:
        demo.force_login(get_user_model().objects.get(username=username))
    path = url()
    if page == "member":
        path = reverse("assignments:member", args=[get_user_model().objects.get(username="rina").team_member.pk])
    response = demo.get(path, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    parser = TextNodes()
    parser.feed(response.content.decode())
    leftovers = sorted(set(parser.texts) & english_ui_strings())
    assert leftovers == [], f"English UI text on the Indonesian {page} page"
    assert any(word in " ".join(parser.texts) for word in ["Beban kerja", "beban kerja", "Masuk", "Peran", "Tugas"])


def test_indonesian_demo_seeds_the_catalog_in_indonesian(demo):
    assert Role.objects.get(slug="social-media-specialist").name == "Spesialis Media Sosial"
    assert Role.objects.get(slug="social-media-strategist").name == "Strategis Media Sosial"
    assert Task.objects.count() == 25
    assert not Task.objects.filter(title="Reply to comments and DMs").exists()


@pytest.mark.django_db
def test_switcher_changes_the_language_and_it_sticks_for_the_user(client):
    user = make_user(username="sari", password="a-good-password")
    make_member(make_team(), user=user)
    client.post(reverse("login"), {"username": "sari", "password": "a-good-password"})
    page = client.get(reverse("roles:catalog"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Role catalog" in page
    response = client.post(reverse("set_language"), {"language": "id", "next": reverse("roles:catalog")})
    assert response.status_code == 302 and response["Location"] == reverse("roles:catalog")
    page = client.get(reverse("roles:catalog"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Katalog peran" in page and 'lang="id"' in page
    assert UserPreferences.objects.get(user=user).language == "id"
    # another browser, English by its headers: the saved choice wins after login
    from django.test import Client

    other = Client()
    other.post(reverse("login"), {"username": "sari", "password": "a-good-password"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Katalog peran" in other.get(reverse("roles:catalog"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_browser_language_is_used_without_a_saved_choice(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id,en;q=0.5").content.decode()
    assert 'lang="id"' in page and "Masuk" in page


@pytest.mark.django_db
def test_decimals_render_with_a_comma_in_indonesian(client):
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing")
    manager = make_user()
    team.managers.add(manager)
    rina = make_member(team, weekly_capacity_hours=40)
    task = make_task(team, make_role(), cadence="weekly", effort_hours="7.50", start_date=monday)
    make_assignment(task, rina)
    client.force_login(manager)
    url = reverse("assignments:team_overview", args=["marketing"])
    assert "7.50 / 40.00 h" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "7,50 / 40,00 jam" in client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()


@pytest.mark.django_db
def test_workload_text_follows_language_and_json_never_changes():
    monday = monday_of(timezone.localdate())
    team = make_team(slug="marketing")
    strategist = make_role(Role.Focus.STRATEGIC)
    rina = make_member(team, full_name="Rina")
    make_holding(rina, make_role(), start_date=monday)
    make_holding(rina, strategist, start_date=monday)
    make_assignment(make_task(team, strategist, cadence="weekly", effort_hours="2.50", start_date=monday), rina)
    DualRoleAcknowledgement.objects.create(member=rina)

    def run(*extra):
        out = StringIO()
        call_command("workload", "--team", "marketing", *extra, stdout=out)
        return out.getvalue()

    english, indonesian = run("--language", "en"), run("--language", "id")
    assert "2.50/40.00" in english and "2,50/40,00" in indonesian
    assert "Rina covers both" in english and "Rina" in indonesian and "covers both" not in indonesian
    assert run("--format", "json", "--language", "en") == run("--format", "json", "--language", "id")


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext) to extract strings")
def test_every_translatable_string_in_the_code_is_in_the_catalog(tmp_path):
    """A string marked for translation but never extracted would show in English on Indonesian pages."""
    for name in ["manage.py", "teamplanner", "roles", "assignments", "activity", "feeds", "notifications", "templates"]:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / "locale" / "id" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        env={key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
    )
    extracted = {entry.msgid for entry in polib.pofile(str(tmp_path / "locale/id/LC_MESSAGES/django.po"))}
    catalogued = {entry.msgid for entry in catalog("id")}
    assert sorted(extracted - catalogued) == [], "run makemessages and translate the new entries"


@pytest.mark.django_db
def test_language_switch_after_a_failed_form_post_returns_to_the_page_not_the_post_url(client):
    team = make_team(slug="marketing")
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    board = reverse("assignments:team_board", args=["marketing"])
    page = client.post(
        reverse("assignments:task_new", args=["marketing"]), {}, HTTP_REFERER=f"http://testserver{board}"
    )
    assert page.status_code == 400
    assert f'name="next" value="http://testserver{board}"' in page.content.decode()
    page = client.post(reverse("assignments:task_new", args=["marketing"]), {}, HTTP_REFERER="https://evil.example/")
    assert 'name="next" value="/"' in page.content.decode()


@pytest.mark.django_db
def test_api_errors_follow_the_language(client):
    team = make_team(slug="marketing")
    manager = make_user()
    team.managers.add(manager)
    client.force_login(manager)
    url = reverse("assignments:api_team_workload", args=["marketing"])
    errors = client.get(url, {"weeks": "99", "start": "x"}, HTTP_ACCEPT_LANGUAGE="id").json()["errors"]
    assert errors["weeks"] == ["Harus berupa bilangan bulat dari 1 sampai 26."]
    assert errors["start"][0].startswith("Harus berupa tanggal")


@pytest.mark.django_db
def test_indonesian_500_page():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("id"):
        assert "Terjadi kesalahan" in render_to_string("500.html")
