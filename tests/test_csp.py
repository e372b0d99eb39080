"""A Content-Security-Policy on every page: scripts only from our own files or with the page's
nonce, never from another host, never inline without it."""

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.test import Client, RequestFactory

from accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _scripts_not_allowed(response) -> list[str]:
    """The page's <script> tags that are neither a file of ours (a path on this host), nor a
    JSON data block, nor an inline script carrying the nonce its own policy names."""
    # django-csp names a nonce only on a page whose template used one: 'nonce-<value>'
    nonces = [
        v[len("'nonce-") : -1] for v in _policy(response)["script-src"] if v.startswith("'nonce-")
    ]
    offenders = []
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        src = re.search(r"""\ssrc=["']([^"']*)""", tag)
        if src is not None:
            allowed = src[1].startswith("/") and not src[1].startswith("//")
        else:
            allowed = 'type="application/json"' in tag or any(f'nonce="{n}"' in tag for n in nonces)
        if not allowed:
            offenders.append(tag)
    return offenders


@pytest.mark.parametrize(
    ("url", "logged_in"), [("/accounts/login/", False), ("/", True), ("/api/docs/", True)]
)
def test_pages_carry_a_policy_without_inline_scripts(url, logged_in, make_user):
    client = Client()
    if logged_in:
        client.force_login(make_user(Role.COMMUNITY_STAFF))
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    # scripts come from this host or carry the page's nonce, never from another host
    assert all(v == "'self'" or v.startswith("'nonce-") for v in policy["script-src"])
    # every script of the page is a file of ours, a JSON data block, or carries the nonce
    assert _scripts_not_allowed(response) == []


def _page_through_the_policy(html: str) -> HttpResponse:
    """``html`` rendered as a template with the request (``{{ request.csp_nonce }}``), its
    response through the CSP middleware that writes the header."""

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(Template(html).render(Context({"request": request})))

    response = CSPMiddleware(view)(RequestFactory().get("/"))
    assert isinstance(response, HttpResponse)  # a synchronous view, so a response, not a coroutine
    return response


def test_the_script_check_allows_the_pages_own_nonce_and_nothing_else():
    # an inline script with the nonce the header names: allowed (and the header names one)
    own = _page_through_the_policy('<script nonce="{{ request.csp_nonce }}">go()</script>')
    assert any(v.startswith("'nonce-") for v in _policy(own)["script-src"])
    assert _scripts_not_allowed(own) == []
    # one with another nonce, one with none, one from another host: each is refused
    other = _page_through_the_policy(
        '<script nonce="{{ request.csp_nonce }}"></script><script nonce="b3RoZXI=">go()</script>'
        "<script>go()</script>"
        '<script src="https://cdn.example.com/x.js"></script><script src="//cdn.example.com/y.js">'
        '</script><script src="/static/js/portal.js"></script>'
        '<script type="application/json" id="d">{}</script>'
    )
    assert _scripts_not_allowed(other) == [
        '<script nonce="b3RoZXI=">',
        "<script>",
        '<script src="https://cdn.example.com/x.js">',
        '<script src="//cdn.example.com/y.js">',
    ]


def test_no_template_has_an_inline_script_without_the_nonce_or_an_event_handler_attribute():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = template.read_text()
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "application/json" not in tag and "csp_nonce" not in tag:
                    offenders.append(f"{template.relative_to(ROOT)}: {tag}")
            if re.search(r"\son[a-z]+\s*=", re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text)):
                offenders.append(f"{template.relative_to(ROOT)}: inline event handler")
    assert offenders == []
