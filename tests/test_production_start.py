"""Production refuses to start unsafe: the WSGI application, started under production settings,
exits with the reason in each bad case, and serves in the good one."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import User

LOCAL_KEY = "ZGV2LW9ubHktcGVyc29uYWwtZGF0YS1rZXktMzJieXQ="  # config/settings/local.py
TEST_KEY = "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTMyYnk="  # config/settings/test.py


def start_wsgi(**env: str) -> subprocess.CompletedProcess[str]:
    """``import config.wsgi`` as gunicorn would, against the test database."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PERSONAL_"))}
    db = settings.DATABASES["default"]
    base["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    good = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "s" * 60,
        "PERSONAL_DATA_KEY": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        env={**base, **good, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_the_wsgi_app_refuses_to_start_while_an_account_has_the_demo_password():
    # given: a clean database, the application starts
    started = start_wsgi()
    assert started.returncode == 0, started.stderr
    # when: an active account still has the published demo password
    # (hashed as production hashes: the tests' fast MD5 hasher is not enabled there)
    User.objects.create_user("left_over")
    User.objects.filter(username="left_over").update(
        password=PBKDF2PasswordHasher().encode(settings.DEMO_PASSWORD, "drillsalt1234567")
    )
    refused = start_wsgi()
    # then: the start fails and names the account
    assert refused.returncode != 0
    assert "accounts.E001" in refused.stderr and "left_over" in refused.stderr
    # and once the account is deactivated, it starts again
    User.objects.filter(username="left_over").update(is_active=False)
    assert start_wsgi().returncode == 0


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"DJANGO_DEBUG": "true"}, "DEBUG"),
        ({"DJANGO_SECRET_KEY": "dev-only-insecure-key-change-me-" + "x" * 30}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"PERSONAL_DATA_KEY": LOCAL_KEY}, "PERSONAL_DATA_KEY"),
        ({"PERSONAL_DATA_KEY": TEST_KEY}, "PERSONAL_DATA_KEY"),
        ({"PERSONAL_DATA_KEY": f"{Fernet.generate_key().decode()},{LOCAL_KEY}"}, "PERSONAL"),
        ({"DJANGO_ALLOW_DEMO_PASSWORDS": "1"}, "demo passwords"),
    ],
)
def test_the_wsgi_app_refuses_unsafe_settings(env, reason):
    refused = start_wsgi(**env)
    assert refused.returncode != 0
    assert reason in refused.stderr


def test_production_cookies_are_secure():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE)",
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PERSONAL_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "s" * 60,
            "PERSONAL_DATA_KEY": Fernet.generate_key().decode(),
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "True"]
