"""Production: refuses to start with DEBUG on, without a secret key, or with demo passwords."""

import base64
import binascii

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEBUG,
    PERSONAL_DATA_KEYS,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
    env_bool,
    env_int,
)

#: Keys published in this repository (development, tests, the CI's deploy check) all begin
#: with one of these; production refuses them as secret key and as personal-data key.
PUBLISHED_KEY_MARKERS = ("dev-only", "test-only", "ci-check-only")


def _published(key: str) -> bool:
    if key.startswith(PUBLISHED_KEY_MARKERS):
        return True
    try:
        decoded = base64.urlsafe_b64decode(key.encode())
    except (binascii.Error, ValueError):
        return False
    return decoded.startswith(tuple(marker.encode() for marker in PUBLISHED_KEY_MARKERS))


if DEBUG:
    raise ImproperlyConfigured("生产环境不允许开启 DJANGO_DEBUG (DEBUG must be off in production)")
if len(SECRET_KEY) < 50 or _published(SECRET_KEY):
    raise ImproperlyConfigured(
        "生产环境必须设置至少 50 个字符的 DJANGO_SECRET_KEY (a real secret key is required)"
    )


def _valid_fernet_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


if not PERSONAL_DATA_KEYS or not all(_valid_fernet_key(key) for key in PERSONAL_DATA_KEYS):
    raise ImproperlyConfigured(
        "生产环境必须设置有效的 PERSONAL_DATA_KEY (a Fernet key that encrypts personal data)"
    )
if any(_published(key) for key in PERSONAL_DATA_KEYS):
    raise ImproperlyConfigured(
        "生产环境不能使用代码库中公开的 PERSONAL_DATA_KEY "
        "(the personal-data key published in the repository is refused)"
    )
if env_bool("DJANGO_ALLOW_DEMO_PASSWORDS"):
    raise ImproperlyConfigured(
        "生产环境不允许使用演示密码 (demo passwords are refused in production)"
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1)
# HSTS preloading is a commitment for the whole domain that the district's IT office makes,
# not this application: it is opt-in through DJANGO_HSTS_PRELOAD.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS] + (
    [] if SECURE_HSTS_PRELOAD else ["security.W021"]
)
