"""A Content-Security-Policy on every page: scripts only from our own files or with the page's
nonce, never from another host, never inline without it."""

import re
from pathlib import Path

import pytest
from django.test import Client

from accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


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
    # (django-csp names a nonce only on a page whose template used one)
    nonces = [v[7:-1] for v in policy["script-src"] if v.startswith("'nonce-")] or ["-"]
    body = response.content.decode()
    # every script of the page is a file of ours, a JSON data block, or carries the nonce
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert (
            "src=" in tag or 'type="application/json"' in tag or f'nonce="{nonces[0][7:-1]}"' in tag
        ), tag


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
