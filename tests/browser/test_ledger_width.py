"""The English ledgers fit a 1366 × 768 office screen: longer English headers, filters and
buttons must not push any list page wider than the window (issue 12's "English ledgers overflow
a 1366 px screen"). Every list page built on common.listpage.ListPage is opened, in English, on
the demo district."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from common.listpage import ListPage
from tests.conftest import restore_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OFFICE = {"width": 1366, "height": 768}


def ledger_urls() -> list[str]:
    """The paths of every list page without a parameter in its URL."""
    found: list[str] = []

    def walk(patterns: Any, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern) and "<" not in route and "^" not in route:
                view = getattr(entry.callback, "view_class", None)
                if isinstance(view, type) and issubclass(view, ListPage):
                    found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.fixture(scope="module")
def demo_url(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        call_command("seed_demo", allow_demo_passwords=True, stdout=io.StringIO())
        server = LiveServer("127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            restore_reference_data()


@pytest.mark.parametrize("username", ["district_admin", "community_staff"])
def test_every_english_ledger_fits_a_1366_px_screen(
    browser: Browser, demo_url: str, username: str
) -> None:
    context = browser.new_context(locale="en-GB", viewport=OFFICE)  # type: ignore[arg-type]
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{demo_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{demo_url}/")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": demo_url}])
    opened, wide = [], []
    for path in ledger_urls():
        response = page.goto(demo_url + path)
        if response is None or response.status >= 400:
            continue  # a ledger of another role
        assert page.evaluate("document.documentElement.lang") == "en", path
        opened.append(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("innerWidth"):
            wide.append(f"{path}: {width} px")
    context.close()
    assert len(opened) >= 10, opened
    assert not wide, wide
