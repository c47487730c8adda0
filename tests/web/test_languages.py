"""Both languages: the Vietnamese catalogue is complete and compiled, every string the code marks
is in it, and every main page renders wholly in the language asked for."""

import datetime
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from approvals import services as council_services
from nominations import services as dossier

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|%%|\{\{\s*[^}]*?\s*\}\}")

NAV_VI = ["Việc cần xử lý", "Hồ sơ đề nghị", "Tổng quan", "Ủy quyền", "Công khai", "Quyết định"]
NAV_EN = ["Inbox", "Nominations", "Dashboard", "Delegations", "Public notice", "Decisions"]


def tokens(text: str) -> list[str]:
    return sorted(re.sub(r"\s+", "", t) for t in PLACEHOLDER.findall(text))


def entries(po) -> dict:
    """(context, msgid) → msgstr, or the tuple of plural forms."""
    found = {}
    for e in po:
        if e.obsolete or not e.msgid:
            continue
        if e.msgid_plural:
            found[(e.msgctxt, e.msgid)] = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural))
        else:
            found[(e.msgctxt, e.msgid)] = e.msgstr
    return found


# --- the catalogues -------------------------------------------------------------------------


def test_the_vietnamese_catalogue_is_complete():
    po = polib.pofile(str(VI_PO))
    assert po.metadata["Plural-Forms"].startswith("nplurals=1; plural=0")
    assert not po.metadata_is_fuzzy
    live = [e for e in po if not e.obsolete]
    assert len(live) > 600
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for e in live:
        if e.msgid_plural:
            assert list(e.msgstr_plural) == [0], e.msgid
            for form in e.msgstr_plural.values():
                assert form.strip(), e.msgid
                # One Vietnamese form stands for both English ones: it has the singular's tokens.
                assert tokens(form) == tokens(e.msgid), e.msgid
        else:
            assert tokens(e.msgstr) == tokens(e.msgid), e.msgid


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    assert not po.fuzzy_entries()
    # msgfmt leaves out what has no translation (all of English: Django falls back to the msgid).
    translated = {k: v for k, v in entries(po).items() if v and all(v)}
    assert entries(mo) == translated, "run `python manage.py compilemessages` and commit the .mo"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Extract the strings again from a copy of the project: nothing is new, changed or fuzzy."""
    for name in [
        "config",
        "nominations",
        "approvals",
        "workflows",
        "audit",
        "reporting",
        "notifications",
        "honours_public",
        "demo",
        "backups",
        "api",
        "exchange",
        "templates",
        "locale",
    ]:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in fresh.untranslated_entries()] == []
    assert [e.msgid for e in fresh.fuzzy_entries()] == []
    committed = entries(polib.pofile(str(VI_PO)))
    assert set(entries(fresh)) == set(committed), "run makemessages, translate and commit"


# --- formats ------------------------------------------------------------------------------


def test_dates_and_numbers_follow_the_language():
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ x|floatformat:1 }}')
    context = Context({"d": datetime.date(2026, 3, 7), "x": 66.67})
    with translation.override("vi"):
        assert template.render(context) == "07/03/2026 66,7"
    with translation.override("en"):
        assert template.render(context) == "07 Mar 2026 66.7"


# --- the pages ----------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text nodes of a page (outside <script> and <style>) and its <html lang>."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.texts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def english_source_strings() -> set[str]:
    """The catalogue's source strings that read differently in Vietnamese, without their
    placeholders: any of them standing alone as a text node of a vi page is untranslated."""
    po = polib.pofile(str(VI_PO))
    return {
        e.msgid
        for e in po
        if not e.obsolete
        and not e.msgid_plural
        and e.msgstr != e.msgid
        and not PLACEHOLDER.search(e.msgid)
    }


@pytest.fixture
def pages(world, walk, draft):
    """Every main page, with the user who sees it: the nomination at the council, a session
    planned for it, a second nomination approved and awaiting the decision."""
    at_council = walk(draft, "submit", "approve", "approve", "approve")
    session = council_services.plan_session(
        actor=world.secretary,
        campaign=world.campaign,
        scheduled_on=timezone.localdate() + datetime.timedelta(days=1),
        chair=world.member,
    )
    short = dossier.create_draft(
        actor=world.proposer,
        campaign=world.campaign,
        award_type=world.short,
        proposing_unit=world.unit,
        nominee_person=world.proposer,
        achievements="Hoàn thành tốt nhiệm vụ.",
    )
    walk(short, "submit", "approve")
    return [
        (world.proposer, reverse("inbox")),
        (world.proposer, reverse("nomination_list")),
        (world.proposer, reverse("nomination_detail", args=[at_council.pk])),
        (world.proposer, reverse("nomination_create")),
        (world.proposer, reverse("delegations")),
        (world.proposer, reverse("dashboard")),
        (world.secretary, reverse("council_sessions")),
        (world.secretary, reverse("council_session", args=[session.pk])),
        (world.proposer, reverse("council_notice")),
        (world.signer, reverse("decisions")),
        (world.inspector, reverse("inspector_home")),
        (world.inspector, reverse("inspector_events")),
        (world.inspector, reverse("inspector_reports")),
        (world.inspector, reverse("inspector_timeline", args=[at_council.pk])),
        (world.secretary, reverse("consultations")),
        (world.secretary, reverse("exchange")),
        (world.secretary, reverse("exchange_import")),
        (world.secretary, reverse("statistics")),
        (world.secretary, reverse("statistics_form", args=["0602"])),
    ]


def fetch(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_main_page_renders_in_vietnamese(client, pages, settings):
    settings.LANGUAGE_CODE = "vi"
    english = english_source_strings()
    names = set(get_user_model().objects.values_list("username", flat=True))
    for user, url in pages:
        html = fetch(client, user, url, "vi")
        page = parse(html)
        assert page.lang == "vi", url
        for word in [*NAV_VI, "Đăng xuất"]:
            assert word in page.texts, (url, word)
        for word in [*NAV_EN, "Log out"]:
            assert word not in page.texts, (url, word)
        left = [t for t in page.texts if t in english and t not in names]
        assert left == [], (url, left)


def test_every_main_page_renders_in_english(client, pages):
    for user, url in pages:
        html = fetch(client, user, url, "en")
        page = parse(html)
        assert page.lang == "en", url
        for word in [*NAV_EN, "Log out"]:
            assert word in page.texts, (url, word)
        for word in [*NAV_VI, "Đăng xuất"]:
            assert word not in page.texts, (url, word)


def test_vietnamese_is_the_default_language(client, world, settings):
    """With no cookie and no Accept-Language, the demo agency's pages are in Vietnamese."""
    settings.LANGUAGE_CODE = "vi"
    client.force_login(world.proposer)
    page = parse(client.get(reverse("inbox")).content.decode())
    assert page.lang == "vi"
    assert "Việc của tôi" in page.texts


def test_the_language_switcher_changes_the_language(client, world, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(world.proposer)
    inbox = reverse("inbox")
    response = client.post(reverse("set_language"), {"language": "en", "next": inbox})
    assert response.status_code == 302
    assert response["Location"] == inbox
    assert parse(client.get(inbox).content.decode()).lang == "en"
    client.post(reverse("set_language"), {"language": "vi", "next": inbox})
    page = parse(client.get(inbox).content.decode())
    assert page.lang == "vi"
    assert "Việc của tôi" in page.texts
